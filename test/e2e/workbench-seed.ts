// The data the workbench pages show in the browser tests: a catalogue whose last album is cold (no listens), CF
// and predicted factor sets, listeners, map layouts clustered by album, flags, filters, a training job's loss
// curve, an evaluation run, and API keys for an editor and an analyst.
import type { Db } from "@curator/db/client.js";
import { issueApiKey } from "@curator/db/api-keys.js";
import { writeLayout } from "@curator/worker/analysis/map-store.js";
import { writeFactorSet } from "@curator/worker/storage/factor-sets.js";
import { seedCatalog, type SeededTrack } from "../support/seed.js";
import { gaussianRows } from "../support/indexed-api.js";

const DIMS = 8;
const ALBUMS = 4;
const PER_ALBUM = 6;

export interface Workbench {
  tracks: SeededTrack[];
  warm: number[];
  cold: number[];
  userIds: number[];
  /** CF map coordinates by track id. */
  cfMap: Map<number, { x: number; y: number }>;
  filterIds: number[];
  editorKey: string;
  analystKey: string;
}

/** Album centres on a circle plus seeded noise: the map shows one cluster per album. */
function clusteredLayout(trackIds: readonly number[], albumOf: (id: number) => number, seed: number): Float32Array {
  const noise = gaussianRows(trackIds.length, 2, seed);
  const xy = new Float32Array(2 * trackIds.length);
  trackIds.forEach((id, i) => {
    const angle = (2 * Math.PI * albumOf(id)) / ALBUMS;
    xy[2 * i] = 4 * Math.cos(angle) + 0.6 * noise[2 * i]!;
    xy[2 * i + 1] = 4 * Math.sin(angle) + 0.6 * noise[2 * i + 1]!;
  });
  return xy;
}

export async function seedWorkbench(db: Db): Promise<Workbench> {
  const tracks = await seedCatalog(db, ALBUMS, PER_ALBUM);
  const ids = tracks.map((t) => t.id);
  const albumOf = (id: number) => Math.floor(ids.indexOf(id) / PER_ALBUM);
  const warm = ids.filter((id) => albumOf(id) < ALBUMS - 1);
  const cold = ids.filter((id) => albumOf(id) === ALBUMS - 1);

  const userIds: number[] = [];
  for (let u = 0; u < 4; u++) {
    const user = await db.user.create({ data: { externalId: `listener-${u}` } });
    userIds.push(user.id);
    await db.listen.createMany({ data: warm.slice(u * 3, u * 3 + 4).map((trackId, i) => ({ userId: user.id, trackId, plays: 2 + i })) });
  }
  // Album-shared directions plus noise, so neighbours in both spaces are mostly album mates.
  const albumDirections = gaussianRows(ALBUMS, DIMS, 21);
  const factors = (trackIds: readonly number[], seed: number) => {
    const noise = gaussianRows(trackIds.length, DIMS, seed);
    return Float32Array.from(noise, (v, k) => albumDirections[albumOf(trackIds[Math.floor(k / DIMS)]!) * DIMS + (k % DIMS)]! * 2 + v);
  };
  const cfSet = await writeFactorSet(db, {
    kind: "CF",
    dims: DIMS,
    params: { seeded: "e2e" },
    trackIds: warm,
    raw: factors(warm, 22),
    users: { userIds, raw: gaussianRows(userIds.length, DIMS, 23) },
  });
  const predictedSet = await writeFactorSet(db, { kind: "PREDICTED_MIDDLE", dims: DIMS, params: { seeded: "e2e" }, trackIds: ids, raw: factors(ids, 24) });
  const cfXy = clusteredLayout(warm, albumOf, 25);
  await writeLayout(db, { factorSetId: cfSet, kind: "CF", method: "umap", params: { seeded: "e2e" }, trackIds: warm, xy: cfXy });
  await writeLayout(db, { factorSetId: predictedSet, kind: "PREDICTED_MIDDLE", method: "umap", params: { seeded: "e2e" }, trackIds: ids, xy: clusteredLayout(ids, albumOf, 26) });
  const cfMap = new Map(warm.map((id, i) => [id, { x: cfXy[2 * i]!, y: cfXy[2 * i + 1]! }]));

  await db.outlierFlag.createMany({
    data: ids
      .filter((_, i) => i % PER_ALBUM === 0)
      .map((trackId) => ({ trackId, kind: "INTRO" as const, score: 2.5, reason: "shorter than 45 s and first on its album" })),
  });

  const run = await db.modelRun.create({ data: { preset: "e2e", params: "{}", status: "READY" } });
  const filterIds: number[] = [];
  for (const [layer, count] of [["CONV1", 6], ["DENSE", 3]] as const) {
    for (let index = 0; index < count; index++) {
      const filter = await db.filter.create({ data: { modelRunId: run.id, layer, index } });
      filterIds.push(filter.id);
      // MAX ranks the filter's "own" album first, MEAN the next one: the two rankings differ visibly.
      for (const mode of ["MAX", "MEAN"] as const) {
        const album = (index + (mode === "MEAN" ? 1 : 0)) % ALBUMS;
        const top = ids.filter((id) => albumOf(id) === album).slice(0, 5);
        await db.filterActivation.createMany({ data: top.map((trackId, rank) => ({ filterId: filter.id, mode, rank: rank + 1, trackId, value: 3 - rank * 0.4 })) });
      }
    }
  }

  const curve = Array.from({ length: 12 }, (_, e) => ({ epoch: e + 1, trainLoss: 0.9 * Math.exp(-e / 4) + 0.1, valLoss: 0.8 * Math.exp(-e / 5) + 0.18, lr: 0.001 }));
  await db.job.create({ data: { stage: "train", status: "SUCCEEDED", done: 12, total: 12, series: JSON.stringify(curve), message: "best epoch 12" } });
  const models = { ALS_CG: [0.21, 0.33, 0.12, 0.91], ALS_Cholesky: [0.22, 0.34, 0.12, 0.91], popularity: [0.09, 0.15, 0.05, 0.8], random: [0.01, 0.01, 0.0, 0.5] };
  const metrics: Record<string, number> = { users: 400, items: 24, trainListens: 1600 };
  for (const [model, values] of Object.entries(models)) {
    ["recall@10", "nDCG@10", "mAP@500", "AUC"].forEach((m, i) => (metrics[`${model}_${m}`] = values[i]!));
  }
  await db.evaluation.create({ data: { name: "als", metrics: JSON.stringify(metrics), tableText: "model         recall@10  AUC\nALS CG            0.210  0.910" } });

  const editor = await issueApiKey(db, "e2e-editor", "EDITOR");
  const analyst = await issueApiKey(db, "e2e-analyst", "ANALYST");
  return { tracks, warm, cold, userIds, cfMap, filterIds, editorKey: editor.key, analystKey: analyst.key };
}
