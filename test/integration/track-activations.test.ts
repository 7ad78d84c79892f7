import { test } from "node:test";
import assert from "node:assert/strict";
import { vectorToBytes } from "@curator/db/factor-sets.js";
import { freshDb } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";
import { startApi } from "../support/api.js";

test("Track.activations and whySimilar read the run's stored embeddings and editor-given names", async () => {
  const { db, close } = await freshDb();
  const api = await startApi(db);
  try {
    const [a, b, c] = await seedCatalog(db, 1, 3);
    const run = await db.modelRun.create({ data: { preset: "small", params: "{}", status: "READY" } });
    for (const layer of ["CONV1", "DENSE"] as const) {
      for (let index = 0; index < 4; index++) {
        await db.filter.create({ data: { modelRunId: run.id, layer, index, name: layer === "DENSE" && index === 0 ? "gospel" : null } });
      }
    }
    const f32 = (values: number[]) => vectorToBytes(Float32Array.from(values));
    await db.trackEmbedding.createMany({
      data: [
        { modelRunId: run.id, trackId: a!.id, convMax: f32([0.1, 0.9, 0.5, 0.3]), convMean: f32([0.4, 0.1, 0.2, 0.3]), dense: f32([3, 0, 1, 2]) },
        { modelRunId: run.id, trackId: b!.id, convMax: f32([0, 0, 0, 0]), convMean: f32([0, 0, 0, 0]), dense: f32([1, 5, 1, 0]) },
      ],
    });

    type Out = { track: { activations: { value: number; filter: { index: number } }[]; mean: { filter: { index: number } }[]; whySimilar: { name: string; share: number; contribution: number; filter: { index: number } }[] } };
    const res = await api.query<Out>(
      `query($id: Int!, $to: Int!) { track(id: $id) {
        activations(layer: CONV1, mode: MAX, top: 2) { value filter { index } }
        mean: activations(layer: CONV1, mode: MEAN, top: 1) { filter { index } }
        whySimilar(to: $to, top: 5) { name share contribution filter { index } } } }`,
      { id: a!.id, to: b!.id },
    );
    assert.deepEqual(res.body.errors, undefined);
    const t = res.body.data!.track;
    assert.deepEqual(t.activations.map((x) => x.filter.index), [1, 2]);
    assert.ok(Math.abs(t.activations[0]!.value - 0.9) < 1e-6);
    assert.deepEqual(t.mean.map((x) => x.filter.index), [0]);
    // Shared units: 0 (3·1 = 3, named "gospel") and 2 (1·1 = 1); units 1 and 3 are silent in one track.
    assert.deepEqual(t.whySimilar.map((u) => [u.filter.index, u.name, u.contribution, u.share]), [[0, "gospel", 3, 0.75], [2, "unit 2", 1, 0.25]]);

    const none = await api.query<{ track: { whySimilar: unknown[] } }>(`{ track(id: ${a!.id}) { whySimilar(to: ${c!.id}) { name } } }`);
    assert.deepEqual(none.body.data!.track.whySimilar, [], "a track without an embedding shares nothing");
    const unknown = await api.query(`{ track(id: ${a!.id}) { whySimilar(to: 999999) { name } } }`);
    assert.equal(unknown.body.errors?.[0]?.extensions?.code, "NOT_FOUND");
    const dense = await api.query(`{ track(id: ${a!.id}) { activations(layer: DENSE, mode: MEAN) { value } } }`);
    assert.equal(dense.body.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
  } finally {
    await api.close();
    await close();
  }
});
