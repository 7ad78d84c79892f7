// The convnet stages on a tiny seeded database: 12 tracks with synthetic cached log-mel (middle excerpt and two
// whole-track windows), a CF set of 8 factors in which two tracks are cold (zero rows), the small preset.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { PNG } from "pngjs";
import type { Db } from "@curator/db/client.js";
import { bytesToVector } from "@curator/db/factor-sets.js";
import { cachePath, readCachedMatrix, writeCachedMatrix } from "@curator/worker/features/cache.js";
import { FEATURE_PARAMS_HASH } from "@curator/worker/features/stage.js";
import { runJob } from "@curator/worker/jobs/job.js";
import { rankUnits, trackActivations } from "@curator/worker/model/activations.js";
import { loadTensorflow } from "@curator/worker/model/backend.js";
import { listCheckpoints } from "@curator/worker/model/checkpoint.js";
import { predictExcerpts } from "@curator/worker/model/predict.js";
import { Rng } from "@curator/worker/util/random.js";
import { findRun, loadRunModel, runParams } from "@curator/worker/model/run-record.js";
import { runActivations } from "@curator/worker/model/stage-activations.js";
import { runEnsemble } from "@curator/worker/model/stage-ensemble.js";
import { runPredict } from "@curator/worker/model/stage-predict.js";
import { runTrain, type TrainResume, type TrainStageOptions, type TrainStageResult } from "@curator/worker/model/stage-train.js";
import { standardize } from "@curator/worker/model/standardize.js";
import { writeFactorSet } from "@curator/worker/storage/factor-sets.js";

import { freshDb, testBackend, type TestDb } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";
import { syntheticLogMel } from "../support/synthetic-log-mel.js";

const FRAMES = 599;
const MELS = 128;
const DIMS = 8;

let testDb: TestDb;
let db: Db;
let dir: string;
let trackIds: number[];
let coldIds: number[];
let firstRun: TrainStageResult;

// The convnet backs these runs whatever the MFCC baseline scores (audio-model-choice.test.ts covers the choice).
const trainOptions = (): TrainStageOptions => ({ preset: "small", epochs: 1, batchSize: 8, cropsPerEpoch: 1, checkpointRoot: join(dir, "models"), validation: 0.2, audioModel: "convnet" });

function train(options: TrainStageOptions) {
  return runJob<TrainResume, TrainStageResult>(db, { stage: "train", quiet: true, resume: options.resume }, (job) => runTrain(db, job, options));
}

before(async () => {
  testDb = await freshDb();
  db = testDb.db;
  dir = mkdtempSync(join(tmpdir(), "curator-model-stages-"));
  const tracks = await seedCatalog(db, 3, 4);
  trackIds = tracks.map((t) => t.id);
  coldIds = [trackIds[3]!, trackIds[7]!];
  for (const [i, id] of trackIds.entries()) {
    for (const [mode, frames] of [["MIDDLE", FRAMES], ["WHOLE", 2 * FRAMES]] as const) {
      const path = cachePath(join(dir, "features"), `hash${id}`, mode.toLowerCase(), FEATURE_PARAMS_HASH);
      await writeCachedMatrix(path, { data: syntheticLogMel(100 + i, frames, MELS), rows: frames, cols: MELS });
      await db.featureCache.create({ data: { trackId: id, mode, paramsHash: FEATURE_PARAMS_HASH, path, frames, windows: frames / FRAMES } });
    }
  }
  const rng = new Rng(5);
  const raw = Float32Array.from({ length: trackIds.length * DIMS }, (_, j) => (coldIds.includes(trackIds[Math.floor(j / DIMS)]!) ? 0 : rng.next() - 0.5));
  // Users who each played about half of the tracks (the cold ones' plays held out), for the validation AUC.
  const users = await Promise.all(Array.from({ length: 8 }, (_, u) => db.user.create({ data: { externalId: `listener-${u}` } })));
  for (const [u, user] of users.entries()) {
    const played = trackIds.filter(() => rng.next() < 0.5);
    await db.listen.createMany({ data: played.map((trackId) => ({ userId: user.id, trackId, plays: 1 + u, heldOut: coldIds.includes(trackId) })) });
  }
  const userRaw = Float32Array.from({ length: users.length * DIMS }, () => rng.next() - 0.5);
  await writeFactorSet(db, { kind: "CF", dims: DIMS, params: {}, trackIds, raw, users: { userIds: users.map((u) => u.id), raw: userRaw } });
  firstRun = (await train(trainOptions())).result;
});

after(async () => {
  await testDb.close();
  rmSync(dir, { recursive: true, force: true });
});

test("train writes a READY model run with its loss curve, checkpoint and standardisation; cold tracks never trained on", async () => {
  const run = await db.modelRun.findUniqueOrThrow({ where: { id: firstRun.modelRunId } });
  assert.equal(run.status, "READY");
  assert.equal(run.epochsDone, 1);
  const curve = JSON.parse(run.lossCurve) as { epoch: number; trainLoss: number; valLoss: number; valAuc?: number; lr: number }[];
  assert.deepEqual(curve.map((p) => p.epoch), [1]);
  assert.ok(Number.isFinite(curve[0]!.trainLoss) && Number.isFinite(curve[0]!.valLoss));
  assert.equal(run.bestValLoss, curve[0]!.valLoss);
  assert.ok(run.checkpointPath && existsSync(join(run.checkpointPath, "state.json")));
  await assertValidationAuc(run, curve[0]!.valAuc);
  const job = await db.job.findUniqueOrThrow({ where: { id: run.jobId! } });
  assert.equal(job.status, "SUCCEEDED");
  assert.equal((JSON.parse(job.series) as unknown[]).length, 1);
  // The record says why the run ended and what it kept, not a bare SUCCEEDED.
  assert.match(job.message ?? "", /^ran all 1 of 1 epochs \(best validation loss \d\.\d+(e-\d+)? at epoch 1\); weights of epoch 1 kept; predictions from the convnet \(forced\)$/);
  const params = runParams(run);
  const split = [...params.split.train, ...params.split.validation];
  assert.equal(split.length, trackIds.length - coldIds.length);
  assert.ok(coldIds.every((id) => !split.includes(id)));
  assert.equal(params.standardization.mean.length, MELS);
});

/**
 * The epoch's validation AUC, recomputed: every user with plays among the validation tracks (not all of them)
 * ranks them by user factor · the kept weights' prediction of their middle excerpt; pairs counted by hand.
 */
async function assertValidationAuc(run: Parameters<typeof loadRunModel>[1], reported: number | undefined): Promise<void> {
  const { tf } = await loadTensorflow();
  const { model, params } = await loadRunModel(tf, run);
  const validation = params.split.validation;
  const inputs = await Promise.all(
    validation.map(async (id) => {
      const cache = await db.featureCache.findFirstOrThrow({ where: { trackId: id, mode: "MIDDLE" } });
      return standardize((await readCachedMatrix(cache.path))!.data, params.standardization);
    }),
  );
  const predicted = await predictExcerpts(tf, model, params.model, inputs);
  model.dispose();
  const cf = await db.factorSet.findFirstOrThrow({ where: { kind: "CF" }, include: { users: { orderBy: { userId: "asc" } } } });
  const aucs: number[] = [];
  for (const u of cf.users) {
    const factors = bytesToVector(u.raw, DIMS);
    const scores = validation.map((_, i) => factors.reduce((s, x, d) => s + x * predicted[i * DIMS + d]!, 0));
    const played = new Set((await db.listen.findMany({ where: { userId: u.userId, heldOut: false } })).map((l) => l.trackId));
    const pos = validation.flatMap((id, i) => (played.has(id) ? [scores[i]!] : []));
    const neg = validation.flatMap((id, i) => (played.has(id) ? [] : [scores[i]!]));
    if (pos.length === 0 || neg.length === 0) continue;
    const wins = pos.reduce((s, p) => s + neg.reduce((t, n) => t + (p > n ? 1 : p === n ? 0.5 : 0), 0), 0);
    aucs.push(wins / (pos.length * neg.length));
  }
  assert.ok(aucs.length > 0, `some of the ${cf.users.length} users should rank the validation tracks ${validation.join(", ")}`);
  assert.ok(reported !== undefined && Math.abs(reported - aucs.reduce((a, b) => a + b) / aucs.length) < 1e-6, `validation AUC ${reported}`);
}

/**
 * What a kill during training leaves behind: the run BUILDING (training sets it so), its job abandoned (FAILED
 * once its lease runs out) with the run in its checkpoint.
 */
async function interrupt(runId: number): Promise<void> {
  await db.modelRun.update({ where: { id: runId }, data: { status: "BUILDING" } });
  const job = await db.job.findFirstOrThrow({ where: { stage: "train" }, orderBy: { id: "desc" } });
  await db.job.update({ where: { id: job.id }, data: { status: "FAILED", checkpoint: JSON.stringify({ ...JSON.parse(job.checkpoint ?? "{}"), modelRunId: runId }) } });
}

test("resume continues the epoch count of the interrupted run", async () => {
  await interrupt(firstRun.modelRunId);
  const resumed = await train({ ...trainOptions(), epochs: 2, resume: true });
  assert.equal(resumed.result.modelRunId, firstRun.modelRunId);
  const run = await db.modelRun.findUniqueOrThrow({ where: { id: firstRun.modelRunId } });
  assert.equal(run.epochsDone, 2);
  assert.deepEqual((JSON.parse(run.lossCurve) as { epoch: number }[]).map((p) => p.epoch), [1, 2]);
  assert.equal(run.status, "READY");
});

test("train --resume with nothing interrupted starts a new run and leaves the READY one alone (issue 25, item 7)", async () => {
  const fresh = await train({ ...trainOptions(), resume: true });
  assert.notEqual(fresh.result.modelRunId, firstRun.modelRunId);
  const first = await db.modelRun.findUniqueOrThrow({ where: { id: firstRun.modelRunId } });
  assert.equal(first.status, "READY");
  assert.equal(first.epochsDone, 2, "the finished run was not trained further");
  assert.equal((await db.modelRun.findUniqueOrThrow({ where: { id: fresh.result.modelRunId } })).epochsDone, 1);
  // The tests below predict with the newest run and count runs: this one is not theirs.
  await db.modelRun.delete({ where: { id: fresh.result.modelRunId } });
});

test("predict writes middle and whole sets for every track, cold ones included, with spreads, on standardised inputs", async () => {
  const outcome = await runJob(db, { stage: "predict", quiet: true }, (job) => runPredict(db, job, { passes: 3 }));
  assert.deepEqual(outcome.result.sets.map((s) => s.kind), ["PREDICTED_MIDDLE", "PREDICTED_WHOLE"]);
  for (const s of outcome.result.sets) {
    const set = await db.factorSet.findUniqueOrThrow({ where: { id: s.factorSetId }, include: { items: { orderBy: { trackId: "asc" } } } });
    assert.equal(set.status, "READY");
    assert.equal(set.modelRunId, firstRun.modelRunId);
    assert.deepEqual(set.items.map((r) => r.trackId), trackIds);
    assert.ok(set.items.every((r) => r.spread !== null && r.spread > 0), "every track has an MC-dropout spread");
  }
  // The stored middle factors are the network's output on the standardised excerpt, the transform of training.
  const { tf } = await loadTensorflow();
  const loaded = await loadRunModel(tf, await findRun(db));
  const frames = await Promise.all(trackIds.map(async (id) => (await db.featureCache.findFirstOrThrow({ where: { trackId: id, mode: "MIDDLE" } })).path));
  const inputs = await Promise.all(frames.map(async (p) => standardize((await readCachedMatrix(p, MELS))!.data, loaded.params.standardization)));
  const expected = await predictExcerpts(tf, loaded.model, loaded.params.model, inputs);
  const middle = await db.itemFactor.findMany({ where: { factorSetId: outcome.result.sets[0]!.factorSetId }, orderBy: { trackId: "asc" } });
  middle.forEach((r, i) => {
    const raw = bytesToVector(r.raw, DIMS);
    for (let d = 0; d < DIMS; d++) assert.ok(Math.abs(raw[d]! - expected[i * DIMS + d]!) < 1e-4);
  });

  // Activation rankings agree with trackActivations on the same inputs.
  const acts = await trackActivations(tf, loaded.model, loaded.params.model, inputs);
  loaded.model.dispose();
  const filterDir = join(dir, "filters");
  const first = await runJob(db, { stage: "activations", quiet: true }, (job) => runActivations(db, job, { top: 5, filterDir }));
  assert.equal(first.result.convFilters, 64);
  const conv = await db.filter.findMany({ where: { modelRunId: firstRun.modelRunId, layer: "CONV1" } });
  const dense = await db.filter.count({ where: { modelRunId: firstRun.modelRunId, layer: "DENSE" } });
  assert.equal(conv.length, 64);
  assert.equal(dense, acts.hiddenUnits);
  for (const [mode, ranking] of [["MAX", rankUnits(acts, "max", 5)], ["MEAN", rankUnits(acts, "mean", 5)]] as const) {
    for (const f of [0, 17, 63]) {
      const filter = conv.find((c) => c.index === f)!;
      const stored = await db.filterActivation.findMany({ where: { filterId: filter.id, mode }, orderBy: { rank: "asc" } });
      assert.deepEqual(stored.map((s) => s.trackId), ranking[f]!.ranked.map((r) => trackIds[r.trackIndex]));
      stored.forEach((s, j) => assert.ok(Math.abs(s.value - ranking[f]!.ranked[j]!.value) < 1e-4));
    }
  }
  const unit = await db.filter.findFirstOrThrow({ where: { modelRunId: firstRun.modelRunId, layer: "DENSE", index: 3 } });
  const denseRows = await db.filterActivation.findMany({ where: { filterId: unit.id }, orderBy: { rank: "asc" } });
  assert.deepEqual(denseRows.map((s) => [s.mode, s.trackId]), rankUnits(acts, "hidden", 5)[3]!.ranked.map((r) => ["MAX", trackIds[r.trackIndex]]));
  const png = PNG.sync.read(readFileSync(conv[0]!.weightImage!));
  assert.ok(png.width > 0 && png.height >= MELS);

  // An editor's name survives a re-run.
  await db.filter.update({ where: { id: conv[5]!.id }, data: { name: "low drone" } });
  await runJob(db, { stage: "activations", quiet: true }, (job) => runActivations(db, job, { top: 5, filterDir }));
  assert.equal((await db.filter.findUniqueOrThrow({ where: { id: conv[5]!.id } })).name, "low drone");
  assert.equal(await db.filter.count({ where: { modelRunId: firstRun.modelRunId } }), 64 + acts.hiddenUnits);
});

test("predict again computes only new or changed tracks; the rest keep their rows in a new, switched-to set", async () => {
  const predict = (all = false) =>
    runJob(db, { stage: "predict", quiet: true }, (job) => runPredict(db, job, { runId: firstRun.modelRunId, modes: ["middle"], passes: 3, all }));
  const rowsOf = async (setId: number) =>
    new Map((await db.itemFactor.findMany({ where: { factorSetId: setId } })).map((r) => [r.trackId, Array.from(bytesToVector(r.raw, DIMS))]));
  const base = (await predict(true)).result.sets[0]!;
  assert.deepEqual([base.computed, base.reusedFrom], [trackIds.length, null]);

  const again = (await predict()).result.sets[0]!;
  assert.deepEqual([again.tracks, again.computed, again.reusedFrom], [trackIds.length, 0, base.factorSetId]);
  assert.notEqual(again.factorSetId, base.factorSetId, "a new version");
  assert.equal((await db.activeFactorSet.findUniqueOrThrow({ where: { kind: "PREDICTED_MIDDLE" } })).factorSetId, again.factorSetId);
  assert.deepEqual(await rowsOf(again.factorSetId), await rowsOf(base.factorSetId));

  // A changed track (its features written after the set) and a new one are predicted; the others are kept.
  const changed = trackIds[2]!;
  await db.featureCache.update({ where: { trackId_mode_paramsHash: { trackId: changed, mode: "MIDDLE", paramsHash: FEATURE_PARAMS_HASH } }, data: { createdAt: new Date(Date.now() + 1000) } });
  const added = await db.track.create({ data: { externalId: "test/new", title: "New", artistId: (await db.artist.findFirstOrThrow()).id, audioPath: "/nonexistent/new.ogg", contentHash: "hash-new", durationSec: 130, channels: 2, sampleRate: 44100, codec: "vorbis" } });
  const path = cachePath(join(dir, "features"), "hashnew", "middle", FEATURE_PARAMS_HASH);
  await writeCachedMatrix(path, { data: syntheticLogMel(999, FRAMES, MELS), rows: FRAMES, cols: MELS });
  await db.featureCache.create({ data: { trackId: added.id, mode: "MIDDLE", paramsHash: FEATURE_PARAMS_HASH, path, frames: FRAMES, createdAt: new Date(Date.now() + 1000) } });
  const third = (await predict()).result.sets[0]!;
  assert.deepEqual([third.tracks, third.computed, third.reusedFrom], [trackIds.length + 1, 2, again.factorSetId]);
  const full = (await predict(true)).result.sets[0]!;
  const [incremental, recomputed] = [await rowsOf(third.factorSetId), await rowsOf(full.factorSetId)];
  assert.deepEqual([...incremental.keys()].sort(), [...recomputed.keys()].sort());
  for (const [id, row] of recomputed) row.forEach((v, d) => assert.ok(Math.abs(v - incremental.get(id)![d]!) < 1e-4, `track ${id}`));
});

test("npm run eval -- coldstart ranks the cold tracks for every user who played some but not all of them, with every method and the album oracle", async () => {
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, "eval/dist/coldstart.js")], {
    env: { ...process.env, DATABASE_URL: testDb.url },
    maxBuffer: 1 << 24,
  });
  const lines = stdout.trim().split("\n");
  const metrics = JSON.parse(lines.at(-1)!) as Record<string, number | string>;
  const held = await db.listen.findMany({ where: { heldOut: true, trackId: { in: coldIds } }, select: { userId: true, trackId: true } });
  const played = new Map<number, Set<number>>();
  for (const l of held) (played.get(l.userId) ?? played.set(l.userId, new Set()).get(l.userId)!).add(l.trackId);
  const all = [...played.values()].filter((tracks) => tracks.size === coldIds.length).length;
  assert.deepEqual(
    [metrics.eval, metrics.testTracks, metrics.trainTracks, metrics.factors, metrics.users, metrics.usersWhoPlayedEveryTestTrack],
    ["coldstart", coldIds.length, trackIds.length - coldIds.length, DIMS, played.size - all, all],
  );
  const models = lines.slice(lines.findIndex((l) => l.startsWith("model")) + 2, -1).map((l) => l.split(/\s{2,}/)[0]);
  // No style row: the seeded albums are no Debian packages, so no track has a style.
  assert.deepEqual(models, [
    "random",
    "MFCC BoW + linear regression",
    "MFCC BoW + MLP",
    "timbre statistics + linear regression",
    "convnet (middle excerpt)",
    "convnet (whole track)",
    "oracle: mean factors of the album",
    "upper bound (WMF on all listens)",
    "upper bound, unit item factors",
  ]);
  assert.match(stdout, /oracle: mean factors of the album .* 0 of 2 fell back to the mean/);
  for (const [key, value] of Object.entries(metrics)) if (key.endsWith("_AUC")) assert.ok(typeof value === "number" && value >= 0 && value <= 1, `${key} = ${value}`);
});

// On PostgreSQL one of the two sometimes fails in prisma.factorSet.update ("No record was found for an update"):
// a real race between the two runs' set bookkeeping, not yet fixed; kept running as a todo so it stays visible.
test("two `curator predict` processes at once on one database: both succeed, or the second says another predict is running (issue 25, item 2)", {
  todo: testBackend() === "postgres" ? "a race on PostgreSQL: one predict can fail in factorSet.update (issue 25, item 2)" : false,
}, async () => {
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  const run = (tag: string) =>
    new Promise<{ tag: string; code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [join(root, "gpu-worker/bin/curator.js"), "predict", "--run", String(firstRun.modelRunId), "--mode", "middle", "--passes", "2", "--all"], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: testDb.url, DATA_DIR: join(dir, "data"), CI: "1" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.on("error", reject).on("close", (code) => resolve({ tag, code, stderr }));
    });
  const before = await db.factorSet.count({ where: { kind: "PREDICTED_MIDDLE", status: { in: ["READY", "RETIRED"] } } });
  const outcomes = await Promise.all([run("a"), run("b")]);
  const ok = outcomes.filter((o) => o.code === 0);
  const refused = outcomes.filter((o) => o.code !== 0);
  for (const o of refused) assert.match(o.stderr, /another `?predict`? (job )?is running/, `predict ${o.tag} exited ${o.code}: ${o.stderr}`);
  assert.ok(ok.length >= 1, outcomes.map((o) => `${o.tag}: ${o.code} ${o.stderr}`).join("\n"));
  for (const o of ok) assert.match(o.stderr, /predict: model run #\d+ → PREDICTED_MIDDLE factor set #\d+ active/);
  // Each successful predict wrote a complete set; the active one is complete.
  assert.equal(await db.factorSet.count({ where: { kind: "PREDICTED_MIDDLE", status: { in: ["READY", "RETIRED"] } } }), before + ok.length);
  const active = await db.activeFactorSet.findUniqueOrThrow({ where: { kind: "PREDICTED_MIDDLE" }, include: { factorSet: true } });
  assert.equal(active.factorSet.status, "READY");
  // The two jobs ran at the same time (each one's start before the other's end).
  const [a, b] = await db.job.findMany({ where: { stage: "predict" }, orderBy: { id: "desc" }, take: 2 });
  const span = (j: typeof a) => `#${j!.id} ${j!.createdAt.toISOString()}–${j!.finishedAt?.toISOString()}`;
  assert.ok(a!.createdAt < b!.finishedAt! && b!.createdAt < a!.finishedAt!, `the two predict jobs did not overlap: ${span(b)}, ${span(a)}`);
});

test("a corrupt checkpoint is refused and the earlier ones are kept; other factor dimensions are refused", async () => {
  const run = await db.modelRun.findUniqueOrThrow({ where: { id: firstRun.modelRunId } });
  const root = runParams(run).checkpointDir;
  const before = await listCheckpoints(root);
  const latest = before.at(-1)!.path;
  truncateSync(join(latest, "weights.bin"), 100);
  await interrupt(run.id);
  await assert.rejects(train({ ...trainOptions(), epochs: 3, resume: true }), /truncated or corrupt/);
  assert.deepEqual(await listCheckpoints(root), before, "nothing is deleted or overwritten");
  assert.equal((await db.modelRun.findUniqueOrThrow({ where: { id: run.id } })).checkpointPath, run.checkpointPath);

  await writeFactorSet(db, { kind: "CF", dims: 4, params: {}, trackIds, raw: new Float32Array(trackIds.length * 4).fill(0.5) });
  await assert.rejects(train({ ...trainOptions(), epochs: 3, resume: true }), /predicts 8 factor dimensions but the active CF set #\d+ has 4/);
});

test("ensemble: the mean of several runs' predicted sets becomes the active set of each mode; runs of other CF sets are refused", async () => {
  const kinds = ["PREDICTED_MIDDLE", "PREDICTED_WHOLE"] as const;
  const withItems = (id: number) => db.factorSet.findUniqueOrThrow({ where: { id }, include: { items: { orderBy: { trackId: "asc" } } } });
  const first = await Promise.all(kinds.map((kind) => db.factorSet.findFirstOrThrow({ where: { kind, modelRunId: firstRun.modelRunId }, orderBy: { id: "desc" } })));
  // A second member: predicted sets of another run on the same CF set (what `predict` of a run of another seed writes).
  const second = await db.modelRun.create({ data: { preset: "small", params: "{}", status: "READY" } });
  const rng = new Rng(11);
  const secondSets: number[] = [];
  for (const [i, kind] of kinds.entries()) {
    const raw = Float32Array.from({ length: trackIds.length * DIMS }, () => rng.next() - 0.5);
    const spread = Float32Array.from(trackIds, () => rng.next());
    const { cfFactorSetId } = JSON.parse(first[i]!.params) as { cfFactorSetId: number };
    secondSets.push(await writeFactorSet(db, { kind, dims: DIMS, params: { modelRunId: second.id, cfFactorSetId }, modelRunId: second.id, trackIds, raw, spread }));
  }

  const outcome = await runJob(db, { stage: "ensemble", quiet: true }, (job) => runEnsemble(db, job, { runIds: [second.id, firstRun.modelRunId] }));
  for (const [i, kind] of kinds.entries()) {
    const made = outcome.result.sets[i]!;
    assert.equal(made.kind, kind);
    const [a, b] = [await withItems(first[i]!.id), await withItems(secondSets[i]!)];
    assert.deepEqual(made.members, [a.id, b.id]);
    assert.equal((await db.activeFactorSet.findUniqueOrThrow({ where: { kind } })).factorSetId, made.factorSetId);
    const set = await withItems(made.factorSetId);
    assert.equal(set.modelRunId, second.id, "the newest member's run, whose activations go with the set");
    assert.deepEqual(JSON.parse(set.params).ensemble, { modelRunIds: [firstRun.modelRunId, second.id], factorSetIds: [a.id, b.id] });
    const aRows = new Map(a.items.map((r) => [r.trackId, r]));
    const bRows = new Map(b.items.map((r) => [r.trackId, r]));
    // The whole-track set has no row for a track without whole-track windows: the mean covers the shared tracks.
    assert.deepEqual(set.items.map((r) => r.trackId), a.items.map((r) => r.trackId).filter((id) => bRows.has(id)));
    for (const row of set.items) {
      const [x, y, mean] = [aRows.get(row.trackId)!, bRows.get(row.trackId)!, bytesToVector(row.raw, DIMS)];
      const [xs, ys] = [bytesToVector(x.raw, DIMS), bytesToVector(y.raw, DIMS)];
      for (let d = 0; d < DIMS; d++) assert.ok(Math.abs(mean[d]! - (xs[d]! + ys[d]!) / 2) < 1e-6, `track ${row.trackId} dim ${d}`);
      assert.ok(Math.abs(row.spread! - (x.spread! + y.spread!) / 2) < 1e-6);
    }
  }
  // The ensemble's own sets are no members: a second ensemble of the same runs averages the same predict sets.
  const again = await runJob(db, { stage: "ensemble", quiet: true }, (job) => runEnsemble(db, job, { runIds: [firstRun.modelRunId, second.id], modes: ["middle"] }));
  assert.deepEqual(again.result.sets[0]!.members, outcome.result.sets[0]!.members);

  await assert.rejects(runJob(db, { stage: "ensemble", quiet: true }, (job) => runEnsemble(db, job, { runIds: [second.id, second.id] })), /at least two distinct model runs/);
  await assert.rejects(runJob(db, { stage: "ensemble", quiet: true }, (job) => runEnsemble(db, job, { runIds: [second.id, 99999] })), /model run #99999 has no PREDICTED_MIDDLE set/);
  const other = await db.modelRun.create({ data: { preset: "small", params: "{}", status: "READY" } });
  await writeFactorSet(db, { kind: "PREDICTED_MIDDLE", dims: DIMS, params: { modelRunId: other.id, cfFactorSetId: 99999 }, modelRunId: other.id, trackIds, raw: new Float32Array(trackIds.length * DIMS) });
  await assert.rejects(runJob(db, { stage: "ensemble", quiet: true }, (job) => runEnsemble(db, job, { runIds: [second.id, other.id], modes: ["middle"] })), /regress different CF sets/);
});
