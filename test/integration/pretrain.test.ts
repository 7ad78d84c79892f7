// Contrastive pretraining: the NT-Xent loss and its gradients against PyTorch computed in this run; the loop on
// synthetic tracks (the loss falls, a resumed run equals the uninterrupted one); the stages on a seeded database
// (`curator pretrain` writes an encoder, `curator train --init` starts from its weights and standardisation; a
// damaged or ill-fitting encoder is refused by name).
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import type { Tensor } from "@tensorflow/tfjs";
import type { Db } from "@curator/db/client.js";
import { cachePath, writeCachedMatrix } from "@curator/worker/features/cache.js";
import { FEATURE_PARAMS_HASH } from "@curator/worker/features/stage.js";
import { runJob } from "@curator/worker/jobs/job.js";
import type { ModelOptions, Tf } from "@curator/worker/model/architecture.js";
import { loadTensorflow } from "@curator/worker/model/backend.js";
import { listCheckpoints, loadCheckpoint } from "@curator/worker/model/checkpoint.js";
import { augmentCrops, ntXentLoss } from "@curator/worker/model/contrastive.js";
import { encoderLayers, loadEncoder, readEncoderManifest } from "@curator/worker/model/encoder.js";
import { pretrain } from "@curator/worker/model/pretrain.js";
import { runParams } from "@curator/worker/model/run-record.js";
import { runPretrain, type PretrainStageOptions, type PretrainStageResult } from "@curator/worker/model/stage-pretrain.js";
import { runTrain, type TrainResume, type TrainStageOptions, type TrainStageResult } from "@curator/worker/model/stage-train.js";
import { writeFactorSet } from "@curator/worker/storage/factor-sets.js";
import { Rng } from "@curator/worker/util/random.js";

import { freshDb, type TestDb } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";
import { syntheticLogMel } from "../support/synthetic-log-mel.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
let tf: Tf;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "curator-pretrain-"));
  dirs.push(dir);
  return dir;
};

before(async () => {
  tf = (await loadTensorflow()).tf;
});
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

test("NT-Xent loss and its gradients equal PyTorch's cross-entropy over the 2n views (float64 reference)", () => {
  const rng = new Rng(11);
  const n = 6;
  const d = 5;
  const rows = () => Array.from({ length: n }, () => Array.from({ length: d }, () => rng.gaussian()));
  // b near a for some pairs, so the loss is neither at its floor nor at chance.
  const a = rows();
  const b = a.map((row, i) => row.map((v) => (i % 2 === 0 ? v + 0.3 * rng.gaussian() : rng.gaussian())));
  const temperature = 0.2;
  const dir = tempDir();
  writeFileSync(join(dir, "input.json"), JSON.stringify({ a, b, temperature }));
  const python = execFileSync("bash", [join(root, "scripts/python-env.sh"), "bench"], { encoding: "utf8" }).trim().split("\n").pop()!;
  const reference = JSON.parse(execFileSync(python, [join(root, "test/reference/nt_xent.py"), dir], { encoding: "utf8" })) as {
    loss: number;
    grad_a: number[][];
    grad_b: number[][];
  };
  const ta = tf.tensor2d(a);
  const tb = tf.tensor2d(b);
  const loss = ntXentLoss(tf, ta, tb, temperature);
  const grads = tf.grads((x: Tensor, y: Tensor) => ntXentLoss(tf, x, y, temperature))([ta, tb]);
  assert.ok(Math.abs(loss.dataSync()[0]! - reference.loss) < 1e-5 * Math.max(1, reference.loss), `loss ${loss.dataSync()[0]} vs torch ${reference.loss}`);
  assert.ok(reference.loss > 0.1 && reference.loss < Math.log(2 * n - 1) + 1, `reference loss ${reference.loss} is a real case`);
  assert.ok(maxAbsDiff(grads[0]!.dataSync(), reference.grad_a.flat()) < 1e-5, "gradient wrt a");
  assert.ok(maxAbsDiff(grads[1]!.dataSync(), reference.grad_b.flat()) < 1e-5, "gradient wrt b");
  tf.dispose([ta, tb, loss, ...grads]);
});

test("augmentCrops changes each crop by its own offsets and masks, drawn only from the seed", () => {
  const frames = 20;
  const mels = 16;
  const batch = new Float32Array(3 * frames * mels).fill(1);
  const options = { gain: 1, tilt: 1, eq: 1, masks: { freqMasks: 1, freqMaskWidth: 4, timeMasks: 1, timeMaskWidth: 5 } };
  const first = augmentCrops(batch.slice(), frames, mels, options, new Rng(3));
  assert.deepEqual(first, augmentCrops(batch.slice(), frames, mels, options, new Rng(3)));
  const crop = (c: number) => first.subarray(c * frames * mels, (c + 1) * frames * mels);
  assert.notDeepEqual(crop(0), crop(1));
  assert.ok(first.every(Number.isFinite));
  const plain = augmentCrops(batch.slice(), frames, mels, { gain: 0, tilt: 0, eq: 0, masks: { freqMasks: 0, freqMaskWidth: 0, timeMasks: 0, timeMaskWidth: 0 } }, new Rng(3));
  assert.deepEqual(plain, batch);
});

describe("the pretraining loop on synthetic tracks", () => {
  const model: ModelOptions = { melBins: 16, cropFrames: 32, convFilters: [8, 8], kernelWidth: 4, poolSizes: [2], denseUnits: [16], dropout: 0, outputDims: 8 };
  // Each track its own spectral profile (and noise): which crops belong together is learnable from the "audio".
  const noise = new Rng(40);
  const tracks = Array.from({ length: 48 }, () => {
    const profile = Array.from({ length: 16 }, () => 1.5 * noise.gaussian());
    return Float32Array.from({ length: 96 * 16 }, (_, j) => profile[j % 16]! + 0.5 * noise.gaussian());
  });
  const trainIndices = tracks.map((_, i) => i).slice(0, 40);
  const validationIndices = tracks.map((_, i) => i).slice(40);
  // Augmentations scaled to these 16 bins and 96 frames (the defaults' 16-bin masks would hide every bin).
  const pretraining = {
    epochs: 6,
    batchSize: 8,
    learningRate: 2e-3,
    projectionDims: 8,
    passes: 1,
    seed: 9,
    augment: { gain: 0.3, tilt: 0.3, eq: 0.3 },
    masks: { freqMasks: 1, freqMaskWidth: 3, timeMasks: 1, timeMaskWidth: 8 },
  };
  const config = (checkpointDir: string, epochs = pretraining.epochs) => ({
    model,
    pretraining: { ...pretraining, epochs },
    tracks,
    trainIndices,
    validationIndices,
    checkpointDir,
  });

  test("the contrastive loss falls on training and validation pairs; a resumed run equals the uninterrupted one", async () => {
    const whole = await pretrain(tf, config(tempDir()));
    const losses = whole.history.map((r) => r.trainLoss);
    const val = whole.history.map((r) => r.valLoss);
    assert.equal(whole.history.length, 6);
    assert.ok(losses.at(-1)! < 0.7 * losses[0]!, `training loss ${losses.map((l) => l.toFixed(3)).join(" ")}`);
    // The 8 held-out tracks are one batch: chance (every candidate alike) is ln(15) ≈ 2.71.
    assert.ok(val.at(-1)! < val[0]! && val.at(-1)! < 0.8 * Math.log(15), `validation loss ${val.map((l) => l.toFixed(3)).join(" ")}`);

    const dir = tempDir();
    const half = await pretrain(tf, config(dir, 3));
    half.model.dispose();
    await assert.rejects(pretrain(tf, config(dir)), /already holds checkpoints/);
    const resumed = await pretrain(tf, { ...config(dir), resume: true });
    assert.deepEqual(resumed.history.map((r) => r.epoch), [1, 2, 3, 4, 5, 6]);
    assert.ok(maxAbsDiff(resumed.history.map((r) => r.trainLoss), losses) < 1e-4, "resumed losses equal the uninterrupted run's");
    const weights = (m: typeof whole.model) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));
    assert.ok(maxAbsDiff(weights(resumed.model), weights(whole.model)) < 1e-4);
    whole.model.dispose();
    resumed.model.dispose();
  });
});

describe("curator pretrain and curator train --init on a seeded database", () => {
  const FRAMES = 599;
  const MELS = 128;
  const DIMS = 8;
  let testDb: TestDb;
  let db: Db;
  let dir: string;
  let pretrained: PretrainStageResult;

  const trainStage = (options: TrainStageOptions) =>
    runJob<TrainResume, TrainStageResult>(db, { stage: "train", quiet: true }, (job) => runTrain(db, job, options));
  const trainOptions = (init: string): TrainStageOptions => ({ preset: "small", epochs: 1, batchSize: 8, cropsPerEpoch: 1, checkpointRoot: join(dir, "models"), validation: 0.2, init });

  before(async () => {
    testDb = await freshDb();
    db = testDb.db;
    dir = tempDir();
    const tracks = await seedCatalog(db, 4, 4);
    const trackIds = tracks.map((t) => t.id);
    for (const [i, id] of trackIds.entries()) {
      for (const [mode, frames] of [["MIDDLE", FRAMES], ["WHOLE", 2 * FRAMES]] as const) {
        const path = cachePath(join(dir, "features"), `hash${id}`, mode.toLowerCase(), FEATURE_PARAMS_HASH);
        await writeCachedMatrix(path, { data: syntheticLogMel(100 + i, frames, MELS), rows: frames, cols: MELS });
        await db.featureCache.create({ data: { trackId: id, mode, paramsHash: FEATURE_PARAMS_HASH, path, frames, windows: frames / FRAMES } });
      }
    }
    const rng = new Rng(5);
    const raw = Float32Array.from({ length: trackIds.length * DIMS }, () => rng.next() - 0.5);
    // Listeners of about half the tracks each, for the album-split evaluation's folds.
    const users = await Promise.all(Array.from({ length: 10 }, (_, u) => db.user.create({ data: { externalId: `listener-${u}` } })));
    for (const [u, user] of users.entries()) {
      const played = trackIds.filter(() => rng.next() < 0.5);
      await db.listen.createMany({ data: played.map((trackId) => ({ userId: user.id, trackId, plays: 1 + u, heldOut: false })) });
    }
    const userRaw = Float32Array.from({ length: users.length * DIMS }, () => rng.next() - 0.5);
    await writeFactorSet(db, { kind: "CF", dims: DIMS, params: {}, trackIds, raw, users: { userIds: users.map((u) => u.id), raw: userRaw } });
    const options: PretrainStageOptions = { preset: "small", epochs: 1, batchSize: 4, passes: 1, validation: 0.2, dir: join(dir, "pretrain") };
    pretrained = (await runJob<{ dir: string }, PretrainStageResult>(db, { stage: "pretrain", quiet: true }, (job) => runPretrain(db, job, options))).result;
  });
  after(async () => {
    await testDb.close();
  });

  test("pretrain records its job and loss curve and writes a checksummed encoder", async () => {
    assert.equal(pretrained.epochsDone, 1);
    assert.ok(Number.isFinite(pretrained.trainLoss) && Number.isFinite(pretrained.valLoss));
    const job = await db.job.findFirstOrThrow({ where: { stage: "pretrain" } });
    assert.equal(job.status, "SUCCEEDED");
    assert.deepEqual((JSON.parse(job.series) as { epoch: number }[]).map((p) => p.epoch), [1]);
    const manifest = await readEncoderManifest(join(dir, "pretrain", "encoder"));
    assert.equal(manifest.preset, "small");
    assert.equal(manifest.standardization.mean.length, MELS);
    assert.equal(manifest.provenance.epoch, 1);
  });

  test("train --init starts from the encoder's conv and hidden weights and its standardisation; --init none does not", async () => {
    const encoderDir = join(dir, "pretrain", "encoder");
    const result = (await trainStage(trainOptions(encoderDir))).result;
    const run = await db.modelRun.findUniqueOrThrow({ where: { id: result.modelRunId } });
    const params = runParams(run);
    const encoder = await loadEncoder(tf, encoderDir);
    assert.equal(params.init?.name, encoder.manifest.name);
    assert.deepEqual(params.standardization, encoder.manifest.standardization);
    // Epoch 0 is the network before its first step: the encoder's layers exactly, a fresh output layer.
    const start = (await listCheckpoints(params.checkpointDir))[0]!;
    assert.equal(start.epoch, 0);
    const initial = await loadCheckpoint(tf, start.path);
    for (const name of encoderLayers(params.model)) {
      const ours = initial.model.getLayer(name).getWeights();
      const theirs = encoder.model.getLayer(name).getWeights();
      ours.forEach((w, i) => assert.equal(maxAbsDiff(w.dataSync(), theirs[i]!.dataSync()), 0, `${name} weight ${i}`));
    }
    assert.notDeepEqual(initial.model.getLayer("factors").getWeights()[0]!.shape, encoder.model.getLayer("factors").getWeights()[0]!.shape);
    initial.model.dispose();
    initial.optimizer.dispose();

    const random = (await trainStage(trainOptions("none"))).result;
    const randomParams = runParams(await db.modelRun.findUniqueOrThrow({ where: { id: random.modelRunId } }));
    assert.equal(randomParams.init, undefined);
    const randomStart = await loadCheckpoint(tf, (await listCheckpoints(randomParams.checkpointDir))[0]!.path);
    assert.ok(maxAbsDiff(randomStart.model.getLayer("conv1").getWeights()[0]!.dataSync(), encoder.model.getLayer("conv1").getWeights()[0]!.dataSync()) > 0);
    randomStart.model.dispose();
    randomStart.optimizer.dispose();
    encoder.model.dispose();
  });

  test("npm run eval -- coldstart --split album holds whole albums out and reports every method, the encoder's included", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(root, "eval/dist/coldstart.js"), "--split", "album", "--folds", "2", "--seeds", "1", "--epochs", "1", "--crops", "1", "--encoder", join(dir, "pretrain", "encoder")],
      { env: { ...process.env, DATABASE_URL: testDb.url }, maxBuffer: 1 << 24 },
    );
    const lines = stdout.trim().split("\n");
    const metrics = JSON.parse(lines.at(-1)!) as Record<string, number | string>;
    assert.deepEqual([metrics.eval, metrics.split, metrics.albums, metrics.tracks, metrics.folds], ["coldstart-album", "album", 4, 16, 2]);
    const models = lines.slice(lines.findIndex((l) => l.startsWith("model")) + 2, -1).map((l) => l.split(/\s{2,}/)[0]);
    assert.deepEqual(models, [
      "random",
      "MFCC BoW + linear regression",
      "MFCC BoW + MLP",
      "MFCC mean+sd + linear regression",
      "log-mel mean+sd + linear regression",
      "timbre statistics + linear regression",
      "oracle: mean factors of the style",
      "pretrained encoder (frozen) + linear regression",
      "convnet (random init)",
      "convnet (pretrained, fine-tuned)",
    ]);
    for (const [key, value] of Object.entries(metrics)) {
      if (key.endsWith("_AUC") || (key.endsWith("_sounds_alike") && !key.startsWith("random") && !key.startsWith("oracle"))) {
        assert.ok(typeof value === "number" && value >= 0 && value <= 1, `${key} = ${value}`);
      }
    }
  });

  test("an encoder of another architecture, or with a damaged file, is refused by name", async () => {
    const encoderDir = join(dir, "pretrain", "encoder");
    await assert.rejects(trainStage({ ...trainOptions(encoderDir), preset: "tiny" }), /does not fit this network: convFilters/);
    const manifest = await readEncoderManifest(encoderDir);
    const weights = join(encoderDir, manifest.checkpoint, "weights.bin");
    const bytes = readFileSync(weights);
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(weights, bytes);
    await assert.rejects(trainStage(trainOptions(encoderDir)), /weights\.bin is corrupt: SHA-256/);
    const state = join(encoderDir, manifest.checkpoint, "state.json");
    writeFileSync(state, readFileSync(state, "utf8").replace('"epoch"', '"epoch" '));
    await assert.rejects(readEncoderManifest(encoderDir), /state\.json is corrupt or was replaced/);
  });
});
