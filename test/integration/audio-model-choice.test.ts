// "Never worse than the simple baseline" (issue 22): `curator train` also fits the MFCC bag-of-words + ridge
// baseline and keeps whichever ranks the validation tracks better. Here the middle excerpts tell the albums apart
// (each album's tracks share a spectral envelope) and the CF factors follow the albums, but the convnet trains on
// whole-track windows that are noise with no album in them: it cannot learn the albums, while the baseline hears the
// middle excerpts. The baseline must win, be recorded with its validation AUC (recomputed here by hand), and back
// `curator predict`; forcing the convnet must still work.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import type { Db } from "@curator/db/client.js";
import { bytesToVector } from "@curator/db/factor-sets.js";
import { cachePath, writeCachedMatrix } from "@curator/worker/features/cache.js";
import { FEATURE_PARAMS_HASH } from "@curator/worker/features/stage.js";
import { runJob } from "@curator/worker/jobs/job.js";
import { fitMfccBaseline, loadMfccBaseline, predictMfccBaseline } from "@curator/worker/model/mfcc-baseline.js";
import { runParams } from "@curator/worker/model/run-record.js";
import { runPredict } from "@curator/worker/model/stage-predict.js";
import { runTrain, type TrainResume, type TrainStageOptions, type TrainStageResult } from "@curator/worker/model/stage-train.js";
import { writeFactorSet } from "@curator/worker/storage/factor-sets.js";
import { Rng } from "@curator/worker/util/random.js";

import { freshDb, type TestDb } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";

const FRAMES = 599;
const MELS = 128;
const DIMS = 8;
const ALBUMS = 4;
const PER_ALBUM = 7;

let testDb: TestDb;
let db: Db;
let dir: string;
let trackIds: number[];
const frames = new Map<number, Float32Array>();
const coldIds: number[] = [];
let cfRaw: Float32Array;
let userIds: number[];
let userRaw: Float32Array;

/** Noise around one shared envelope: nothing in it says which album a track is from. */
function noiseLogMel(seed: number, count: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: count * MELS }, (_, j) => 1 + rng.next() * 2 * Math.exp(-((((j % MELS) - 64) / 40) ** 2)));
}

/** An album's spectral envelope (its own centre band) with a per-track wobble and noise. */
function albumLogMel(album: number, seed: number, count: number): Float32Array {
  const rng = new Rng(seed);
  const centre = 16 + album * 28 + rng.next() * 4;
  const out = new Float32Array(count * MELS);
  for (let t = 0; t < count; t++) {
    for (let m = 0; m < MELS; m++) out[t * MELS + m] = 3 * Math.exp(-(((m - centre) / 10) ** 2)) * (1 + 0.3 * Math.sin(0.07 * t + seed)) + 0.3 * rng.next();
  }
  return out;
}

const options = (extra: Partial<TrainStageOptions>): TrainStageOptions => ({
  preset: "tiny",
  epochs: 1,
  batchSize: 8,
  cropsPerEpoch: 1,
  validation: 0.3,
  inputs: "whole",
  checkpointRoot: join(dir, "models"),
  ...extra,
});

function train(extra: Partial<TrainStageOptions>) {
  return runJob<TrainResume, TrainStageResult>(db, { stage: "train", quiet: true }, (job) => runTrain(db, job, options(extra)));
}

before(async () => {
  testDb = await freshDb();
  db = testDb.db;
  dir = mkdtempSync(join(tmpdir(), "curator-audio-model-"));
  const tracks = await seedCatalog(db, ALBUMS, PER_ALBUM);
  trackIds = tracks.map((t) => t.id);
  const rng = new Rng(11);
  cfRaw = new Float32Array(trackIds.length * DIMS);
  for (const [i, id] of trackIds.entries()) {
    const album = Math.floor(i / PER_ALBUM);
    const cold = i % PER_ALBUM === 3;
    if (cold) coldIds.push(id);
    for (let d = 0; d < DIMS; d++) cfRaw[i * DIMS + d] = cold ? 0 : (d === album ? 1 : 0) + 0.15 * (rng.next() - 0.5);
    const middle = albumLogMel(album, 100 + i, FRAMES);
    frames.set(id, middle);
    for (const [mode, data] of [["MIDDLE", middle], ["WHOLE", noiseLogMel(200 + i, 2 * FRAMES)]] as const) {
      const rows = data.length / MELS;
      const path = cachePath(join(dir, "features"), `hash${id}`, mode.toLowerCase(), FEATURE_PARAMS_HASH);
      await writeCachedMatrix(path, { data, rows, cols: MELS });
      await db.featureCache.create({ data: { trackId: id, mode, paramsHash: FEATURE_PARAMS_HASH, path, frames: rows, windows: rows / FRAMES } });
    }
  }
  // Each listener likes one album and plays most (not all) of its tracks; the cold tracks' plays are held out.
  const users = await Promise.all(Array.from({ length: 16 }, (_, u) => db.user.create({ data: { externalId: `listener-${u}` } })));
  userIds = users.map((u) => u.id);
  userRaw = new Float32Array(users.length * DIMS);
  for (const [u, user] of users.entries()) {
    const liked = u % ALBUMS;
    userRaw[u * DIMS + liked] = 1;
    const played = trackIds.filter((_, i) => Math.floor(i / PER_ALBUM) === liked && rng.next() < 0.75);
    await db.listen.createMany({ data: played.map((trackId) => ({ userId: user.id, trackId, plays: 2, heldOut: coldIds.includes(trackId) })) });
  }
  await writeFactorSet(db, { kind: "CF", dims: DIMS, params: {}, trackIds, raw: cfRaw, users: { userIds, raw: userRaw } });
});

after(async () => {
  await testDb.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Mean per-user AUC of ranking `ids` by user · predictions against the user's training plays, pairs counted by hand. */
async function handAuc(ids: readonly number[], predictions: Float32Array): Promise<number> {
  const aucs: number[] = [];
  for (const [u, userId] of userIds.entries()) {
    const played = new Set((await db.listen.findMany({ where: { userId, heldOut: false } })).map((l) => l.trackId));
    const score = (i: number) => Array.from({ length: DIMS }, (_, d) => userRaw[u * DIMS + d]! * predictions[i * DIMS + d]!).reduce((a, b) => a + b);
    const pos = ids.flatMap((id, i) => (played.has(id) ? [score(i)] : []));
    const neg = ids.flatMap((id, i) => (played.has(id) ? [] : [score(i)]));
    if (pos.length === 0 || neg.length === 0) continue;
    aucs.push(pos.reduce((s, p) => s + neg.reduce((t, n) => t + (p > n ? 1 : p === n ? 0.5 : 0), 0), 0) / (pos.length * neg.length));
  }
  return aucs.reduce((a, b) => a + b, 0) / aucs.length;
}

test("a run whose convnet ranks validation worse ships the MFCC baseline, records both AUCs, and predict uses it", async () => {
  const { result } = await train({});
  const run = await db.modelRun.findUniqueOrThrow({ where: { id: result.modelRunId } });
  const params = runParams(run);
  const record = params.audioModel!;
  assert.equal(record.backing, "mfcc-baseline", JSON.stringify({ convnet: record.convnet, baseline: record.baseline }));
  assert.equal(record.decidedBy, "validation AUC");
  assert.equal(record.validationTracks, params.split.validation.length);
  assert.ok(record.baseline.validationAuc! > record.convnet.validationAuc!, `baseline ${record.baseline.validationAuc} > convnet ${record.convnet.validationAuc}`);
  assert.ok(record.baseline.validationAuc! > 0.8, `the audio tells the albums apart: baseline AUC ${record.baseline.validationAuc}`);

  // The recorded baseline AUC is that of the baseline fitted on the training split alone, on the validation tracks.
  const unit = (ids: number[]) => {
    const out = new Float32Array(ids.length * DIMS);
    ids.forEach((id, j) => {
      const row = cfRaw.subarray(trackIds.indexOf(id) * DIMS, (trackIds.indexOf(id) + 1) * DIMS);
      const norm = Math.hypot(...row);
      row.forEach((v, d) => (out[j * DIMS + d] = v / norm));
    });
    return out;
  };
  const onTrain = fitMfccBaseline(params.split.train.map((id) => frames.get(id)!), unit(params.split.train), DIMS, MELS);
  const validation = predictMfccBaseline(onTrain, params.split.validation.map((id) => frames.get(id)!));
  assert.ok(Math.abs((await handAuc(params.split.validation, validation)) - record.baseline.validationAuc!) < 1e-9);
  assert.equal(record.baseline.trainTracks, params.split.train.length + params.split.validation.length, "the shipped baseline is refitted on every split track");
  assert.ok(record.baseline.calibration && record.baseline.calibration.slope > 0, "a baseline that ranks well gets a positive calibration slope");

  const predicted = await runJob(db, { stage: "predict", quiet: true }, (job) => runPredict(db, job, { runId: run.id, passes: 2 }));
  const middle = await db.factorSet.findUniqueOrThrow({ where: { id: predicted.result.sets[0]!.factorSetId }, include: { items: { orderBy: { trackId: "asc" } } } });
  const setParams = JSON.parse(middle.params) as { backing: string; calibration: { slope: number } };
  assert.equal(setParams.backing, "mfcc-baseline");
  assert.deepEqual(setParams.calibration, record.baseline.calibration);
  assert.deepEqual(middle.items.map((r) => r.trackId), trackIds, "every track, cold ones included");
  const shipped = await loadMfccBaseline(record.baseline.file);
  const expected = predictMfccBaseline(shipped, trackIds.map((id) => frames.get(id)!));
  middle.items.forEach((r, i) => bytesToVector(r.raw, DIMS).forEach((v, d) => assert.ok(Math.abs(v - expected[i * DIMS + d]!) < 1e-5)));
  // The cold tracks, never trained on, land on their album's factor.
  for (const id of coldIds) {
    const row = middle.items.find((r) => r.trackId === id)!;
    const v = bytesToVector(row.raw, DIMS);
    const album = Math.floor(trackIds.indexOf(id) / PER_ALBUM);
    assert.equal(v.indexOf(Math.max(...v)), album, `cold track ${id}: ${Array.from(v, (x) => x.toFixed(2)).join(" ")}`);
  }

  // A damaged baseline file is refused by name.
  writeFileSync(record.baseline.file.path, "{}");
  await assert.rejects(
    runJob(db, { stage: "predict", quiet: true }, (job) => runPredict(db, job, { runId: run.id, passes: 2 })),
    (error: Error) => error.message.includes(record.baseline.file.path) && /damaged/.test(error.message),
  );
});

test("--audio-model convnet keeps the convnet whatever the validation says, and predict uses the network", async () => {
  const { result } = await train({ audioModel: "convnet" });
  const record = runParams(await db.modelRun.findUniqueOrThrow({ where: { id: result.modelRunId } })).audioModel!;
  assert.equal(record.backing, "convnet");
  assert.equal(record.decidedBy, "forced");
  assert.ok(record.convnet.validationAuc !== undefined && record.baseline.validationAuc !== undefined);
  const predicted = await runJob(db, { stage: "predict", quiet: true }, (job) => runPredict(db, job, { runId: result.modelRunId, passes: 2, modes: ["middle"] }));
  const set = await db.factorSet.findUniqueOrThrow({ where: { id: predicted.result.sets[0]!.factorSetId }, include: { items: true } });
  assert.equal((JSON.parse(set.params) as { backing: string }).backing, "convnet");
  assert.ok(set.items.every((r) => r.spread !== null && r.spread > 0), "the convnet's MC-dropout spreads");
});
