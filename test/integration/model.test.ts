// The convnet core on the native TensorFlow backend: architecture, training, checkpoints, prediction,
// activations. Data: 16 synthetic tracks of 599 × 128 log-mel frames, each with its own spectral envelope, and
// targets that are a fixed random projection of the track's mean spectrum (learnable from the input).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";

import type { LayersModel, Optimizer, Scalar, Tensor, Variable } from "@tensorflow/tfjs";
import { PNG } from "pngjs";

import { firstLayerKernel, rankUnits, topTracks, trackActivations } from "@curator/worker/model/activations.js";
import { buildModel, modelOptions, PRESETS, probeModel, type ModelOptions, type Tf } from "@curator/worker/model/architecture.js";
import { loadTensorflow } from "@curator/worker/model/backend.js";
import { latestCheckpoint, listCheckpoints, loadCheckpoint, saveCheckpoint } from "@curator/worker/model/checkpoint.js";
import { divergingRgb, encodePng, filterMosaic } from "@curator/worker/model/filter-image.js";
import { predictExcerpts, predictWholeTracks, predictWithDropout } from "@curator/worker/model/predict.js";
import { Rng } from "@curator/worker/util/random.js";
import { assertFloat32Close } from "../support/float32.js";
import { initialState, TRAINING_DEFAULTS } from "@curator/worker/model/schedule.js";
import { inMemoryProvider, NonFiniteError, train, type TrackExample } from "@curator/worker/model/train.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const FRAMES = 599;
const MELS = 128;
const DIMS = 40;
const TRACKS = 16;
const TRAIN = [...Array(12).keys()];
const VALIDATION = [12, 13, 14, 15];

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** Log-mel-like frames: a per-track envelope of three bumps over a shared slope, modulated over time. */
function syntheticTracks(seed: number, count: number, frames = FRAMES): Float32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const bumps = Array.from({ length: 3 }, () => ({ at: rng.next() * MELS, width: 4 + 12 * rng.next(), height: 1 + 3 * rng.next() }));
    const envelope = Array.from({ length: MELS }, (_, m) =>
      bumps.reduce((s, b) => s + b.height * Math.exp(-(((m - b.at) / b.width) ** 2)), 2 - (1.5 * m) / MELS),
    );
    const rate = 0.02 + 0.1 * rng.next();
    const track = new Float32Array(frames * MELS);
    for (let t = 0; t < frames; t++) {
      const beat = 1 + 0.3 * Math.sin(rate * t);
      for (let m = 0; m < MELS; m++) track[t * MELS + m] = Math.max(0, envelope[m]! * beat + 0.3 * gaussian(rng));
    }
    return track;
  });
}

/** Targets: a fixed random projection of each track's mean spectrum minus the corpus mean. */
function projectedTargets(tracks: Float32Array[], seed: number): Float32Array[] {
  const rng = new Rng(seed);
  const projection = Float64Array.from({ length: DIMS * MELS }, () => gaussian(rng));
  const means = tracks.map((track) => {
    const mean = new Float64Array(MELS);
    const frames = track.length / MELS;
    for (let t = 0; t < frames; t++) for (let m = 0; m < MELS; m++) mean[m]! += track[t * MELS + m]! / frames;
    return mean;
  });
  const corpus = new Float64Array(MELS);
  for (const mean of means) for (let m = 0; m < MELS; m++) corpus[m]! += mean[m]! / means.length;
  return means.map((mean) =>
    Float32Array.from({ length: DIMS }, (_, d) => {
      let s = 0;
      for (let m = 0; m < MELS; m++) s += projection[d * MELS + m]! * (mean[m]! - corpus[m]!);
      return s;
    }),
  );
}

function unit(v: Float32Array): Float32Array {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function mse(predicted: Float32Array, targets: Float32Array[], indices: number[]): number {
  let s = 0;
  indices.forEach((track, row) => {
    const want = unit(targets[track]!);
    for (let d = 0; d < DIMS; d++) s += (predicted[row * DIMS + d]! - want[d]!) ** 2;
  });
  return s / (indices.length * DIMS);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const SMALL: ModelOptions = modelOptions("small");
const FAST = { ...TRAINING_DEFAULTS, batchSize: 4, learningRate: 1e-3, seed: 7 };

let tf: Tf;
let tracks: Float32Array[];
let targets: Float32Array[];
let examples: TrackExample[];
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "model-test-"));
  dirs.push(dir);
  return dir;
};

/** What training on `data` threw; fails the test if it finished. */
const trainingError = (training: typeof FAST, data: TrackExample[], checkpointDir: string): Promise<unknown> =>
  train(tf, { model: SMALL, training, provider: inMemoryProvider(data), trainIndices: TRAIN, validationIndices: VALIDATION, checkpointDir }).then(
    () => assert.fail("training went on"),
    (e: unknown) => e,
  );

before(async () => {
  tf = (await loadTensorflow({ backend: "auto" })).tf;
  tracks = syntheticTracks(1, TRACKS);
  targets = projectedTargets(tracks, 2);
  examples = tracks.map((inputs, i) => ({ inputs, targets: targets[i]! }));
});
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("convnet architecture", () => {
  test("outputs one factor vector per clip; probes give conv1 over time and the last hidden layer", () => {
    const { model, probes } = buildModel(tf, SMALL, 1);
    const x = tf.tensor3d([...tracks[0]!.subarray(0, 512 * MELS), ...tracks[1]!.subarray(0, 512 * MELS)], [2, 512, MELS]);
    const y = model.predict(x) as Tensor;
    assert.deepEqual(y.shape, [2, DIMS]);
    const [conv, hidden] = probes.predict(x) as Tensor[];
    assert.deepEqual(conv!.shape, [2, 512 - 3, 64]);
    assert.deepEqual(hidden!.shape, [2, 512]);
    tf.dispose([x, y, conv!, hidden!]);
    model.dispose();
  });

  test("forward pass equals the same weights in PyTorch (float64 reference)", async () => {
    const options = { ...SMALL, cropFrames: 200 };
    const { model } = buildModel(tf, options, 5);
    const dir = tempDir();
    const weights = model.getWeights();
    writeFileSync(join(dir, "options.json"), JSON.stringify(options));
    writeFileSync(join(dir, "weights.json"), JSON.stringify(weights.map((w) => w.shape)));
    writeFileSync(join(dir, "weights.bin"), Buffer.concat(weights.map((w) => Buffer.from((w.dataSync() as Float32Array).buffer))));
    const clips = tracks.slice(0, 3).map((t) => t.subarray(100 * MELS, 300 * MELS));
    writeFileSync(join(dir, "input.bin"), Buffer.concat(clips.map((c) => Buffer.from(c.slice().buffer))));
    const python = execFileSync("bash", [join(root, "scripts/python-env.sh"), "bench"], { encoding: "utf8" }).trim().split("\n").pop()!;
    const reference = JSON.parse(execFileSync(python, [join(root, "test/reference/convnet_forward.py"), dir], { encoding: "utf8" })) as number[];
    const ours = await predictExcerpts(tf, model, options, clips);
    const scale = Math.max(...reference.map(Math.abs));
    assert.ok(maxAbsDiff(ours, reference) < 1e-5 * scale, `max |ours − torch| ${maxAbsDiff(ours, reference)} (scale ${scale})`);
    model.dispose();
  });

  test("the full preset has the post's layer sizes (parameter count from the layer list)", () => {
    const o = PRESETS.full;
    const convIn = [o.melBins, ...o.convFilters.slice(0, -1)];
    const conv = o.convFilters.reduce((s, f, i) => s + (o.kernelWidth * convIn[i]! + 1) * f, 0);
    const denseIn = [3 * o.convFilters.at(-1)!, ...o.denseUnits];
    const dense = [...o.denseUnits, o.outputDims].reduce((s, u, i) => s + (denseIn[i]! + 1) * u, 0);
    const { model } = buildModel(tf, { ...o }, 1);
    assert.equal(model.countParams(), conv + dense);
    model.dispose();
  });

  test("a model saved through TensorFlow.js's IO (custom pooling layer included) loads and predicts the same", async () => {
    const { model } = buildModel(tf, SMALL, 3);
    let saved: Parameters<typeof tf.io.fromMemory>[0] | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
      }),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const a = await predictExcerpts(tf, model, SMALL, tracks.slice(0, 3));
    const b = await predictExcerpts(tf, loaded, SMALL, tracks.slice(0, 3));
    assert.deepEqual(b, a);
    model.dispose();
    loaded.dispose();
  });
});

describe("training", () => {
  test("learns a learnable target, with validation loss per epoch", async () => {
    const dir = tempDir();
    // No dropout: 12 tracks give only 3 steps an epoch.
    const model = { ...SMALL, dropout: 0 };
    const { model: initial } = buildModel(tf, model, FAST.seed);
    const before = mse(await predictExcerpts(tf, initial, model, tracks.slice(0, 12)), targets, TRAIN);
    initial.dispose();
    const epochs: number[] = [];
    let batches = 0;
    const result = await train(tf, {
      model,
      training: { ...FAST, epochs: 20, patience: 20 },
      provider: inMemoryProvider(examples),
      trainIndices: TRAIN,
      validationIndices: VALIDATION,
      checkpointDir: dir,
      onEpoch: (r) => void epochs.push(r.epoch),
      onBatch: () => void batches++,
    });
    const afterTraining = mse(await predictExcerpts(tf, result.model, model, tracks.slice(0, 12)), targets, TRAIN);
    assert.deepEqual(epochs, [...Array(20).keys()].map((e) => e + 1));
    assert.equal(batches, 20 * 3);
    // 1/DIMS is the error of predicting zeros for unit targets: beating it well means the mapping was learnt.
    assert.ok(afterTraining < 0.5 * before && afterTraining < 0.6 / DIMS, `training MSE ${before} → ${afterTraining}`);
    assert.ok(result.history.every((r) => Number.isFinite(r.valLoss) && r.lr > 0));
    assert.equal(result.bestValLoss, Math.min(...result.history.map((r) => r.valLoss)));
    // Kept: the two most recent and the best.
    const kept = (await listCheckpoints(dir)).map((c) => c.epoch);
    assert.deepEqual(kept, [...new Set([result.bestEpoch, 19, 20])].sort((a, b) => a - b));
    result.model.dispose();
  });

  test("keepWeights: the run ends with the last epoch's weights, or with those of the lowest validation loss", async () => {
    // Validation on training tracks with negated targets: each small step towards the training targets moves
    // away from the validation ones, so the validation loss rises and the best epoch is the first.
    const contradicted = [...examples.slice(0, 12), ...examples.slice(0, 4).map((e) => ({ ...e, targets: e.targets.map((x) => -x) }))];
    const model = { ...SMALL, dropout: 0 };
    for (const keepWeights of ["last", "best"] as const) {
      const dir = tempDir();
      const result = await train(tf, {
        model,
        training: { ...FAST, epochs: 4, patience: 10, learningRate: 1e-4, keepWeights },
        provider: inMemoryProvider(contradicted),
        trainIndices: TRAIN,
        validationIndices: VALIDATION,
        checkpointDir: dir,
      });
      const losses = result.history.map((r) => r.valLoss);
      const best = losses.indexOf(Math.min(...losses)) + 1;
      assert.ok(best < 4, `the validation loss should rise: ${losses.join(", ")}`);
      const want = keepWeights === "last" ? 4 : best;
      assert.equal(result.keptEpoch, want);
      assert.equal(result.checkpoint, join(dir, `epoch-000${want}`));
      const saved = await loadCheckpoint(tf, result.checkpoint, model);
      const [ours, theirs] = [await predictExcerpts(tf, result.model, model, tracks), await predictExcerpts(tf, saved.model, model, tracks)];
      assert.ok(maxAbsDiff(ours, theirs) < 1e-6, `${keepWeights}: the model returned is not epoch ${want}'s`);
      [result.model, saved.model, saved.optimizer].forEach((x) => x.dispose());
    }
  });

  test("monitor auc: the best epoch, early stopping and the kept weights follow the validation ranking, not the loss", async () => {
    // A scripted ranking score (best at epoch 2, then two epochs without a gain: patience 2 stops after epoch 4).
    const scripted = [0.6, 0.8, 0.7, 0.75, 0.9];
    const seen: Float32Array[] = [];
    const result = await train(tf, {
      model: SMALL,
      training: { ...FAST, epochs: 10, patience: 2, monitor: "auc", keepWeights: "best" },
      provider: inMemoryProvider(examples),
      trainIndices: TRAIN,
      validationIndices: VALIDATION,
      checkpointDir: tempDir(),
      validationAuc: (predictions) => {
        seen.push(Float32Array.from(predictions));
        return scripted[seen.length - 1]!;
      },
    });
    assert.deepEqual(
      result.history.map((r) => r.valAuc),
      scripted.slice(0, 4),
    );
    assert.equal(result.bestEpoch, 2);
    assert.equal(result.keptEpoch, 2);
    assert.ok(result.stoppedEarly);
    assert.equal(result.bestValLoss, result.history[1]!.valLoss);
    // What the scorer ranked in epoch 2: the kept weights' predictions for the validation tracks' centre crops.
    const predicted = await predictExcerpts(tf, result.model, SMALL, VALIDATION.map((i) => tracks[i]!));
    assert.ok(maxAbsDiff(predicted, seen[1]!) < 1e-5, "the scorer did not see the validation tracks' predictions");
    result.model.dispose();
    await assert.rejects(
      train(tf, { model: SMALL, training: { ...FAST, monitor: "auc" }, provider: inMemoryProvider(examples), trainIndices: TRAIN, validationIndices: VALIDATION, checkpointDir: tempDir() }),
      /monitor auc needs a ranking of the validation tracks/,
    );
  });

  test("centreTargets: the initial network predicts the mean unit target of the training tracks, whatever the input", async () => {
    const dir = tempDir();
    const result = await train(tf, {
      model: SMALL,
      training: { ...FAST, epochs: 1, centreTargets: true },
      provider: inMemoryProvider(examples),
      trainIndices: TRAIN,
      validationIndices: VALIDATION,
      checkpointDir: dir,
    });
    result.model.dispose();
    const initial = await loadCheckpoint(tf, join(dir, "epoch-0000"), SMALL);
    const predicted = await predictExcerpts(tf, initial.model, SMALL, tracks);
    const mean = Float32Array.from({ length: DIMS }, (_, d) => TRAIN.reduce((s, t) => s + unit(targets[t]!)[d]! / TRAIN.length, 0));
    for (let t = 0; t < TRACKS; t++) assert.ok(maxAbsDiff(predicted.subarray(t * DIMS, (t + 1) * DIMS), mean) < 1e-6, `track ${t}`);
    initial.model.dispose();
    initial.optimizer.dispose();
  });

  test("resuming continues from the saved epoch as the uninterrupted run would, masks and all", async () => {
    // SpecAugment masks draw from the run's RNG as the crops do: a resumed run must mask alike.
    const options = { ...FAST, epochs: 3, patience: 10, masks: { freqMasks: 2, freqMaskWidth: 8, timeMasks: 2, timeMaskWidth: 32 } };
    const model = { ...SMALL, dropout: 0 };
    const run = (dir: string, epochs: number, resume: boolean, seen: number[] = []) =>
      train(tf, {
        model,
        training: { ...options, epochs },
        provider: inMemoryProvider(examples),
        trainIndices: TRAIN,
        validationIndices: VALIDATION,
        checkpointDir: dir,
        resume,
        onEpoch: (r) => void seen.push(r.epoch),
      });
    const straight = await run(tempDir(), 3, false);
    const dir = tempDir();
    (await run(dir, 2, false)).model.dispose();
    const seen: number[] = [];
    const resumed = await run(dir, 3, true, seen);
    assert.deepEqual(seen, [3]);
    assert.deepEqual(resumed.history.map((r) => r.epoch), [1, 2, 3]);
    const [a, b] = [straight.history[2]!, resumed.history[2]!];
    assert.ok(Math.abs(a.trainLoss - b.trainLoss) <= 1e-4 * a.trainLoss, `train loss ${a.trainLoss} vs ${b.trainLoss}`);
    assert.ok(Math.abs(a.valLoss - b.valLoss) <= 1e-4 * a.valLoss, `val loss ${a.valLoss} vs ${b.valLoss}`);
    await assert.rejects(run(dir, 4, false), /already holds checkpoints: resume, or use an empty directory/);
    await assert.rejects(
      train(tf, { model: { ...model, denseUnits: [256, 256] }, training: options, provider: inMemoryProvider(examples), trainIndices: TRAIN, validationIndices: VALIDATION, checkpointDir: dir, resume: true }),
      /has a different architecture: denseUnits \[512,512\] \(checkpoint\) vs \[256,256\] \(requested\)/,
    );
    straight.model.dispose();
    resumed.model.dispose();
  });

  test("a NaN in the inputs stops training, naming the track and keeping the last good checkpoint", async () => {
    const dir = tempDir();
    const poisoned = examples.map((e, i) => (i === 5 ? { ...e, inputs: e.inputs.map((v, j) => (j === 777 ? NaN : v)) } : e));
    const error = await trainingError({ ...FAST, epochs: 2 }, poisoned, dir);
    assert.ok(error instanceof NonFiniteError);
    assert.equal(error.kind, "inputs");
    assert.deepEqual(error.trackIndices, [5]);
    assert.match(error.message, /^non-finite inputs in epoch 1, training batch \d: track 5; training stopped, last good checkpoint .*epoch-0000$/);
    assert.equal(error.lastCheckpoint, await latestCheckpoint(dir));
    const good = await loadCheckpoint(tf, error.lastCheckpoint, SMALL);
    assert.equal(good.state.epoch, 0);
    good.model.dispose();
    good.optimizer.dispose();
  });

  test("a diverging loss stops training, naming the batch's tracks", async () => {
    const dir = tempDir();
    const loud = examples.map((e) => ({ ...e, inputs: e.inputs.map((v) => v * 1e18) }));
    const error = await trainingError({ ...FAST, epochs: 1, learningRate: 0.5 }, loud, dir);
    assert.ok(error instanceof NonFiniteError, String(error));
    assert.equal(error.kind, "loss");
    assert.equal(error.trackIndices.length, FAST.batchSize);
    assert.match(error.message, new RegExp(`tracks ${error.trackIndices.join(", ")}; training stopped`));
  });
});

describe("checkpoints", () => {
  let dir: string;
  let model: LayersModel;
  let path: string;
  let saved: { iterations: number; values: Float32Array[] };

  /** Two optimisation steps, so that the accumulators hold something. */
  const twoSteps = (net: LayersModel, optimizer: Optimizer) => {
    const variables = net.trainableWeights.map((w) => w.read() as Variable);
    for (let step = 0; step < 2; step++) {
      const x = tf.tensor3d(tracks[step]!.subarray(0, 512 * MELS), [1, 512, MELS]);
      const y = tf.tensor2d(unit(targets[step]!), [1, DIMS]);
      optimizer.minimize(() => tf.losses.meanSquaredError(y, net.apply(x, { training: true }) as Tensor) as Scalar, false, variables);
      tf.dispose([x, y]);
    }
  };

  before(async () => {
    dir = tempDir();
    model = buildModel(tf, SMALL, 11).model;
    const optimizer = tf.train.momentum(0.01, 0.9, true);
    twoSteps(model, optimizer);
    const weights = await optimizer.getWeights();
    saved = {
      iterations: (await weights[0]!.tensor.data())[0]!,
      values: await Promise.all(weights.slice(1).map(async (w) => (await w.tensor.data()) as Float32Array)),
    };
    const state = { ...initialState(FAST), epoch: 7, rngState: 12345, bestValLoss: 0.5, bestEpoch: 6 };
    await saveCheckpoint(tf, dir, { model, optimizer, modelOptions: SMALL, trainingOptions: FAST, state: { ...state, epoch: 6 } });
    path = await saveCheckpoint(tf, dir, { model, optimizer, modelOptions: SMALL, trainingOptions: FAST, state });
    optimizer.dispose();
  });
  after(() => model.dispose());

  test("a round trip restores identical predictions, momentum accumulators and training state", async () => {
    assert.equal(path, join(dir, "epoch-0007"));
    const loaded = await loadCheckpoint(tf, path, SMALL);
    assert.deepEqual(await predictExcerpts(tf, loaded.model, SMALL, tracks.slice(0, 4)), await predictExcerpts(tf, model, SMALL, tracks.slice(0, 4)));
    const weights = await loaded.optimizer.getWeights();
    assert.equal((await weights[0]!.tensor.data())[0], saved.iterations);
    assert.equal(saved.iterations, 2);
    assert.equal(weights.length - 1, model.trainableWeights.length);
    for (const [i, w] of weights.slice(1).entries()) assert.deepEqual(await w.tensor.data(), saved.values[i], `accumulator ${w.name}`);
    assert.deepEqual(loaded.state, { ...initialState(FAST), epoch: 7, rngState: 12345, bestValLoss: 0.5, bestEpoch: 6 });
    assert.deepEqual(loaded.trainingOptions, FAST);
    loaded.model.dispose();
    loaded.optimizer.dispose();
  });

  test("Adam's step count and first and second moments round-trip as well", async () => {
    const net = buildModel(tf, SMALL, 12).model;
    const optimizer = tf.train.adam(1e-3, 0.9, 0.999);
    twoSteps(net, optimizer);
    const before = await Promise.all((await optimizer.getWeights()).map(async (w) => ({ name: w.name, values: await w.tensor.data() })));
    const adamPath = await saveCheckpoint(tf, tempDir(), { model: net, optimizer, modelOptions: SMALL, trainingOptions: { ...FAST, optimizer: "adam" }, state: initialState(FAST) });
    optimizer.dispose();
    const loaded = await loadCheckpoint(tf, adamPath, SMALL);
    // Written by tfjs's Adam, resumed on the fused native one (native-optimizers.ts): the state is the same.
    assert.equal(loaded.optimizer.getClassName(), "NativeAdam");
    const after = await loaded.optimizer.getWeights();
    const n = net.trainableWeights.length;
    assert.equal(after.length, 1 + 2 * n);
    assert.equal((await after[0]!.tensor.data())[0], 2);
    assert.match(after[1]!.name, /\/m$/);
    assert.match(after[1 + n]!.name, /\/v$/);
    for (const [i, w] of after.entries()) assert.deepEqual(await w.tensor.data(), before[i]!.values, `accumulator ${before[i]!.name}`);
    net.dispose();
    loaded.model.dispose();
    loaded.optimizer.dispose();
  });

  test("mismatched factor dimensions or architecture are refused", async () => {
    await assert.rejects(loadCheckpoint(tf, path, { outputDims: 32 }), /predicts 40 factor dimensions, but 32 were asked for/);
    await assert.rejects(
      loadCheckpoint(tf, path, { convFilters: [256, 256, 512, 512] }),
      /has a different architecture: convFilters \[64,64,128,128\] \(checkpoint\) vs \[256,256,512,512\] \(requested\)/,
    );
  });

  test("a truncated or corrupted file is refused by name; the previous checkpoint still loads", async () => {
    const cases: [string, (file: string) => void, RegExp][] = [
      ["weights.bin", (f) => truncateSync(f, 1000), /checkpoint file .*weights\.bin is truncated or corrupt: 1000 bytes, expected \d+/],
      ["optimizer.bin", (f) => { const b = readFileSync(f); b[100]! ^= 1; writeFileSync(f, b); }, /checkpoint file .*optimizer\.bin is corrupt: SHA-256 does not match/],
      ["state.json", (f) => truncateSync(f, 200), /checkpoint file .*state\.json is corrupt or truncated/],
    ];
    for (const [name, damage, message] of cases) {
      const copy = join(tempDir(), "epoch-0007");
      cpSync(path, copy, { recursive: true });
      damage(join(copy, name));
      await assert.rejects(loadCheckpoint(tf, copy), message);
    }
    const previous = await loadCheckpoint(tf, join(dir, "epoch-0006"));
    assert.equal(previous.state.epoch, 6);
    previous.model.dispose();
    previous.optimizer.dispose();
  });
});

describe("prediction and activations", () => {
  let model: LayersModel;
  before(() => {
    model = buildModel(tf, SMALL, 21).model;
  });
  after(() => model.dispose());

  test("whole-track prediction is the mean over consecutive centred windows", async () => {
    const long = syntheticTracks(9, 1, 3 * 512 + 10)[0]!;
    const whole = await predictWholeTracks(tf, model, SMALL, [long, tracks[0]!]);
    // 10 leftover frames: windows start at 5, 517, 1029.
    const windows = [5, 517, 1029].map((s) => long.slice(s * MELS, (s + 512) * MELS));
    const each = await predictExcerpts(tf, model, SMALL, windows);
    const mean = Float32Array.from({ length: DIMS }, (_, d) => (each[d]! + each[DIMS + d]! + each[2 * DIMS + d]!) / 3);
    // Relative to the outputs: an untrained He-initialised net on these unstandardised frames outputs tens.
    const scale = Math.max(1, ...Array.from(whole, Math.abs));
    assertFloat32Close(whole.subarray(0, DIMS), mean, { ulps: 32, scale, what: "mean of the windows" });
    const single = await predictExcerpts(tf, model, SMALL, [tracks[0]!]);
    assertFloat32Close(whole.subarray(DIMS), single, { ulps: 32, scale, what: "one-window track" });
    await assert.rejects(predictExcerpts(tf, model, SMALL, [new Float32Array(100 * MELS)]), /track 0: 100 frames, shorter than the 512-frame window/);
  });

  test("MC dropout: spread > 0 for every track, mean close to the deterministic prediction", async () => {
    const few = tracks.slice(0, 4);
    const deterministic = await predictExcerpts(tf, model, SMALL, few);
    const { mean, std, spread } = await predictWithDropout(tf, model, SMALL, few, { passes: 64 });
    assert.equal(mean.length, 4 * DIMS);
    assert.equal(std.length, 4 * DIMS);
    assert.ok(spread.every((s) => s > 0), `spread ${spread}`);
    // Dropout before a ReLU biases the mean a little: compare direction and length per track.
    for (let t = 0; t < 4; t++) {
      const [a, b] = [deterministic.subarray(t * DIMS, (t + 1) * DIMS), mean.subarray(t * DIMS, (t + 1) * DIMS)];
      const dot = a.reduce((s, v, d) => s + v * b[d]!, 0);
      const cosine = dot / (Math.hypot(...a) * Math.hypot(...b));
      const ratio = Math.hypot(...b) / Math.hypot(...a);
      assert.ok(cosine > 0.9 && ratio > 0.75 && ratio < 1.33, `track ${t}: cosine ${cosine}, length ratio ${ratio}`);
    }
  });

  test("filter max and mean over time equal a direct computation from the conv1 output", async () => {
    const few = tracks.slice(0, 3);
    const acts = await trackActivations(tf, model, SMALL, few);
    assert.equal(acts.filters, 64);
    assert.equal(acts.hiddenUnits, 512);
    const probes = probeModel(tf, model, SMALL);
    const start = Math.floor((FRAMES - 512) / 2);
    const x = tf.tensor3d(few[1]!.subarray(start * MELS, (start + 512) * MELS), [1, 512, MELS]);
    const [conv, hidden] = probes.predict(x) as Tensor[];
    const c = conv!.dataSync();
    const T = conv!.shape[1]!;
    const [maxes, means] = [new Float64Array(64), new Float64Array(64)];
    for (let f = 0; f < 64; f++) {
      let max = -Infinity;
      let sum = 0;
      for (let t = 0; t < T; t++) {
        max = Math.max(max, c[t * 64 + f]!);
        sum += c[t * 64 + f]!;
      }
      maxes[f] = max;
      means[f] = sum / T;
    }
    // The batch of three and the single probe run conv1 and the dense layer as differently shaped GEMMs.
    const scale = Math.max(...Array.from(c, Math.abs));
    assertFloat32Close(acts.convMax.subarray(64, 128), maxes, { ulps: 16, scale, what: "filter max" });
    assertFloat32Close(acts.convMean.subarray(64, 128), means, { ulps: 64, scale, what: "filter mean" });
    assertFloat32Close(acts.hidden.subarray(512, 1024), hidden!.dataSync(), { ulps: 64, what: "hidden units" });
    tf.dispose([x, conv!, hidden!]);

    const ranking = rankUnits(acts, "max", 2);
    assert.equal(ranking.length, 64);
    assert.deepEqual(ranking[5], { filter: 5, mode: "max", ranked: topTracks(acts.convMax, 64, 5, 2) });
  });

  test("top-N ranking sorts tracks by one unit's value, ties by track index", () => {
    const values = Float32Array.from([1, 5, 3, 2, 3, 9, 0, 7]); // 4 tracks × 2 units
    assert.deepEqual(topTracks(values, 2, 0, 3), [
      { trackIndex: 1, value: 3 },
      { trackIndex: 2, value: 3 },
      { trackIndex: 0, value: 1 },
    ]);
    assert.deepEqual(topTracks(values, 2, 1, 1), [{ trackIndex: 2, value: 9 }]);
    assert.throws(() => topTracks(values, 2, 2, 1), /unit 2 is outside 0..1/);
  });

  test("first-layer filters become a diverging-colour mosaic PNG", () => {
    const { values, shape } = firstLayerKernel(model);
    assert.deepEqual(shape, [4, MELS, 64]);
    const image = filterMosaic(values, shape, { columns: 16, frameWidth: 4, bandHeight: 1, gap: 2 });
    assert.equal(image.width, 16 * 16 + 17 * 2);
    assert.equal(image.height, 4 * MELS + 5 * 2);
    assert.deepEqual(divergingRgb(0), [255, 255, 255]);
    assert.deepEqual(divergingRgb(1), [178, 24, 43]);
    assert.deepEqual(divergingRgb(-1), [33, 102, 172]);
    // Filter 0's strongest weight gets the full colour of its sign, at time t, band m.
    let best = 0;
    for (let j = 1; j < 4 * MELS; j++) if (Math.abs(values[j * 64]!) > Math.abs(values[best * 64]!)) best = j;
    const [t, m] = [Math.floor(best / MELS), best % MELS];
    const at = ((2 + MELS - 1 - m) * image.width + 2 + t * 4) * 4;
    assert.deepEqual([...image.data.subarray(at, at + 3)], divergingRgb(Math.sign(values[best * 64]!)));
    const png = PNG.sync.read(encodePng(image));
    assert.equal(png.width, image.width);
    assert.deepEqual(new Uint8Array(png.data), image.data);
  });
});
