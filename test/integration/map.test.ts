// `curator map`'s stage: seeded UMAP of the active factor set written as a layout, READY only when complete, and
// read back through the API.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "@curator/db/client.js";
import { writeFactorSet } from "@curator/worker/storage/factor-sets.js";
import { runJob } from "@curator/worker/jobs/job.js";
import { runMap, type MapOptions } from "@curator/worker/map/stage.js";
import { writeLayout } from "@curator/worker/map/store.js";
import { freshDb, testBackend } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";
import { gaussianRows, startIndexedApi, tempIndexDir } from "../support/indexed-api.js";

const D = 6;
const UMAP = { nNeighbors: 15, minDist: 0.1, seed: 7, epochs: 60 };

async function map(db: Db, options: MapOptions) {
  return runJob<never, Awaited<ReturnType<typeof runMap>>>(db, { stage: "map", params: { ...options }, quiet: true }, (job) => runMap(db, job, options));
}

const LATENT = `query ($kind: FactorKind!) { latentMap(kind: $kind) { layoutId factorSetId method points { id x y artistId albumId cold } } }`;
type Latent = { latentMap: { layoutId: number; factorSetId: number; method: string; points: { id: number; x: number; y: number; artistId: number; albumId: number | null; cold: boolean }[] } | null };

test(`latent map on ${testBackend()}`, async (t) => {
  const handle = await freshDb();
  const { db } = handle;
  const indexDir = tempIndexDir();
  const api = await startIndexedApi(db, indexDir.dir);
  try {
    const trackIds = (await seedCatalog(db, 3, 5)).map((s) => s.id);
    const cold = new Set(trackIds.slice(-2));
    const raw = gaussianRows(trackIds.length, D, 3);
    trackIds.forEach((id, i) => cold.has(id) && raw.fill(0, i * D, (i + 1) * D));
    const cfSet = await writeFactorSet(db, { kind: "CF", dims: D, params: {}, trackIds, raw });
    const warm = trackIds.filter((id) => !cold.has(id));

    const before = await api.query<Latent>(LATENT, { kind: "CF" });
    assert.equal(before.body.data!.latentMap, null, "no map before `curator map`");

    const first = await map(db, { kind: "CF", ...UMAP });
    await t.test("one point per track with factors, job complete, layout READY", async () => {
      assert.equal(first.status, "SUCCEEDED");
      assert.deepEqual({ points: first.result.points, without: first.result.withoutFactors, set: first.result.factorSetId }, { points: 13, without: 2, set: cfSet });
      const layout = await db.mapLayout.findUniqueOrThrow({ where: { id: first.result.layoutId } });
      assert.equal(layout.status, "READY");
      const points = await db.mapPoint.findMany({ where: { layoutId: layout.id }, orderBy: { trackId: "asc" } });
      assert.deepEqual(points.map((p) => p.trackId), warm);
      assert.ok(points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y)));
      const job = await db.job.findUniqueOrThrow({ where: { id: first.jobId } });
      assert.equal(job.done, job.total);
    });

    await t.test("the same seed gives the same layout; the new one retires the old", async () => {
      const second = await map(db, { kind: "CF", ...UMAP });
      const points = (layoutId: number) => db.mapPoint.findMany({ where: { layoutId }, orderBy: { trackId: "asc" }, select: { trackId: true, x: true, y: true } });
      const a = await points(first.result.layoutId);
      const b = await points(second.result.layoutId);
      assert.deepEqual(a, b);
      const statuses = await db.mapLayout.findMany({ orderBy: { id: "asc" }, select: { status: true } });
      assert.deepEqual(statuses.map((s) => s.status), ["RETIRED", "READY"]);

      const r = await api.query<Latent>(LATENT, { kind: "CF" });
      assert.equal(r.body.data!.latentMap!.layoutId, second.result.layoutId);
      assert.equal(r.body.data!.latentMap!.method, "umap");
      assert.deepEqual(r.body.data!.latentMap!.points.map((p) => [p.id, p.x, p.y, p.cold]), b.map((p) => [p.trackId, p.x, p.y, false]));
      const pos = await api.query<{ track: { mapPosition: { x: number; y: number } | null } }>(`{ track(id: ${warm[3]}) { mapPosition { x y } } }`);
      assert.deepEqual(pos.body.data!.track.mapPosition, { x: b[3]!.x, y: b[3]!.y });
      const coldPos = await api.query<{ track: { mapPosition: null } }>(`{ track(id: ${[...cold][0]}) { mapPosition { x y } } }`);
      assert.equal(coldPos.body.data!.track.mapPosition, null, "a track without CF factors has no place on the CF map");
    });

    await t.test("a predicted map places cold tracks too and leaves the CF map in place", async () => {
      await writeFactorSet(db, { kind: "PREDICTED_MIDDLE", dims: D, params: {}, trackIds, raw: gaussianRows(trackIds.length, D, 4) });
      const predicted = await map(db, { kind: "PREDICTED_MIDDLE", ...UMAP });
      assert.equal(predicted.result.points, 15);
      const r = await api.query<Latent>(LATENT, { kind: "PREDICTED_MIDDLE" });
      const points = r.body.data!.latentMap!.points;
      assert.deepEqual(points.filter((p) => p.cold).map((p) => p.id), [...cold]);
      assert.ok((await api.query<Latent>(LATENT, { kind: "CF" })).body.data!.latentMap, "the CF map is still READY");
    });

    await t.test("a layout is READY only when every point is written; a failed write never replaces the map", async () => {
      const artist = await db.artist.create({ data: { name: "Bulk" } });
      await db.track.createMany({
        data: Array.from({ length: 1100 }, (_, i) => ({
          externalId: `bulk/${i}`, title: `Bulk ${i}`, artistId: artist.id, durationSec: 60, audioPath: `/nonexistent/bulk/${i}.ogg`,
          contentHash: `bulk-${i}`, channels: 2, sampleRate: 44100, codec: "vorbis",
        })),
      });
      const bulk = (await db.track.findMany({ where: { artistId: artist.id }, orderBy: { id: "asc" }, select: { id: true } })).map((r) => r.id);
      const current = (await api.query<Latent>(LATENT, { kind: "CF" })).body.data!.latentMap!.layoutId;
      const seen: string[] = [];
      const xy = Float32Array.from({ length: 2 * bulk.length }, (_, i) => i);
      const layoutId = await writeLayout(db, { factorSetId: cfSet, kind: "CF", method: "test", params: {}, trackIds: bulk, xy }, async (done, total) => {
        if (done === total) return;
        const building = await db.mapLayout.findFirstOrThrow({ where: { method: "test" }, select: { status: true } });
        const served = (await api.query<Latent>(LATENT, { kind: "CF" })).body.data!.latentMap!.layoutId;
        seen.push(`${done}:${building.status}:${served === current ? "previous" : "new"}`);
      });
      assert.deepEqual(seen, ["500:BUILDING:previous", "1000:BUILDING:previous"]);
      // `points` is paged (500 by default); `packed` carries every point.
      const complete = (await api.query<{ latentMap: { layoutId: number; packed: { count: number } } }>(`{ latentMap(kind: CF) { layoutId packed { count } } }`)).body.data!.latentMap;
      assert.equal(complete.layoutId, layoutId);
      assert.equal(complete.packed.count, 1100);

      // A track id that does not exist makes the second batch fail (foreign key): the layout ends FAILED.
      const broken = [...bulk.slice(0, 600), 2_000_000_000, ...bulk.slice(601)];
      await assert.rejects(writeLayout(db, { factorSetId: cfSet, kind: "CF", method: "broken", params: {}, trackIds: broken, xy }));
      const failed = await db.mapLayout.findFirstOrThrow({ where: { method: "broken" } });
      assert.equal(failed.status, "FAILED");
      assert.equal((await api.query<Latent>(LATENT, { kind: "CF" })).body.data!.latentMap!.layoutId, layoutId);
    });

    await t.test("too few tracks for UMAP is a clear error and a FAILED job", async () => {
      const few = trackIds.slice(0, 2);
      await writeFactorSet(db, { kind: "PREDICTED_WHOLE", dims: D, params: {}, trackIds: few, raw: gaussianRows(2, D, 5) });
      await assert.rejects(map(db, { kind: "PREDICTED_WHOLE", ...UMAP }), /at least 3 points, got 2/);
      const job = await db.job.findFirstOrThrow({ where: { stage: "map" }, orderBy: { id: "desc" } });
      assert.equal(job.status, "FAILED");
    });
  } finally {
    await api.close();
    await handle.close();
    indexDir.remove();
  }
});
