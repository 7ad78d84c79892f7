// The contrastive pretraining loop, top to bottom: each epoch, every training track gives two random crops (time
// shift), each augmented on its own (contrastive.ts: gain, tilt, EQ, masks); the convnet maps both to its output
// layer, here a projection head, and NT-Xent over the batch is minimised. Validation: the same loss on seeded,
// fixed pairs of held-out tracks (the same every epoch, so the curve compares). A checkpoint per epoch (training's
// format and schedule: checkpoint.ts, schedule.ts), `resume` from the newest with the optimizer state and RNG.
import { join } from "node:path";

import type { LayersModel, Scalar, Tensor, Variable } from "@tensorflow/tfjs";

import { buildModel, type ModelOptions, type Tf } from "./architecture.js";
import { checkpointName, latestCheckpoint, listCheckpoints, loadCheckpoint, pruneCheckpoints, saveCheckpoint } from "./checkpoint.js";
import { augmentCrops, ntXentLoss } from "./contrastive.js";
import { createOptimizer, type TrainingOptimizer } from "./optimizers.js";
import { PRETRAIN_DEFAULTS, validatePretrainOptions, type PretrainOptions } from "./pretrain-options.js";
import { advance, initialState, keptEpochOf, shouldStopEarly, type EpochReport, type TrainingState } from "./schedule.js";
import { optimisationStep, type BatchReport, type EpochStanding } from "./train.js";
import { trackFrames, windowBatch } from "./windows.js";
import { Rng } from "../util/random.js";

export interface PretrainConfig {
  /** outputDims is the projection head's size (PretrainOptions.projectionDims). */
  model: ModelOptions;
  pretraining?: Partial<PretrainOptions>;
  /** Standardised log-mel, frames × melBins each, at least cropFrames frames; no labels. */
  tracks: readonly Float32Array[];
  trainIndices: readonly number[];
  /** At least two: the validation loss needs a negative. */
  validationIndices: readonly number[];
  checkpointDir: string;
  /** Continue from the newest checkpoint in checkpointDir; without it a directory with checkpoints is refused. */
  resume?: boolean;
  onBatch?: (report: BatchReport) => void;
  onEpoch?: (report: EpochReport, standing: EpochStanding) => void | Promise<void>;
}

export interface PretrainResult {
  /** With the weights of keptEpoch. */
  model: LayersModel;
  keptEpoch: number;
  checkpoint: string;
  history: EpochReport[];
  options: PretrainOptions;
}

// Validation pairs are drawn from this seed every epoch (xor the run's seed): the same crops and augmentations.
const VALIDATION_SEED = 0x7a11d;

export async function pretrain(tf: Tf, config: PretrainConfig): Promise<PretrainResult> {
  const options: PretrainOptions = { ...PRETRAIN_DEFAULTS, ...config.pretraining };
  validatePretrainOptions(options);
  if (config.model.outputDims !== options.projectionDims) {
    throw new Error(`the model's output (${config.model.outputDims}) is not the projection head (${options.projectionDims})`);
  }
  if (config.trainIndices.length < 2) throw new Error(`pretraining needs at least 2 training tracks, got ${config.trainIndices.length}`);
  if (config.validationIndices.length < 2) throw new Error(`pretraining needs at least 2 validation tracks, got ${config.validationIndices.length}`);
  const { model, optimizer, state: start, lastCheckpoint: first } = await openSession(tf, config, options);
  let state = start;
  let lastCheckpoint = first;
  const variables = model.trainableWeights.map((w) => w.read() as Variable);
  const decays = model.trainableWeights.map((w) => (w.originalName.endsWith("/kernel") ? options.weightDecay : 0));
  try {
    for (let epoch = state.epoch + 1; epoch <= options.epochs; epoch++) {
      const started = performance.now();
      const rng = new Rng(state.rngState);
      const batches = Array.from({ length: options.passes }, () => chunks(rng.shuffle([...config.trainIndices]), options.batchSize))
        .flat()
        .filter((ids) => ids.length >= 2);
      let lossSum = 0;
      let pairs = 0;
      for (const [b, ids] of batches.entries()) {
        const x = viewBatch(tf, config, options, ids, rng);
        let loss: Scalar;
        try {
          loss = pretrainStep(tf, model, optimizer, variables, decays, x, options);
        } finally {
          x.dispose();
        }
        const value = (await loss.data())[0]!;
        loss.dispose();
        if (!Number.isFinite(value)) throw new Error(`non-finite contrastive loss in epoch ${epoch}, batch ${b + 1}; last good checkpoint ${lastCheckpoint}`);
        lossSum += value * ids.length;
        pairs += ids.length;
        config.onBatch?.({ epoch, batch: b + 1, batches: batches.length, loss: value, trackIndices: ids });
      }
      const report: EpochReport = {
        epoch,
        trainLoss: lossSum / pairs,
        valLoss: validationLoss(tf, model, config, options),
        lr: options.learningRate,
        seconds: (performance.now() - started) / 1000,
      };
      state = advance(state, report, rng.state, options);
      lastCheckpoint = await saveCheckpoint(tf, config.checkpointDir, { model, optimizer, modelOptions: config.model, trainingOptions: options, state });
      const epochs = (await listCheckpoints(config.checkpointDir)).map((c) => c.epoch);
      await pruneCheckpoints(config.checkpointDir, new Set([...epochs.slice(-options.keepCheckpoints), state.bestEpoch]));
      await config.onEpoch?.(report, { bestEpoch: state.bestEpoch, bestValLoss: state.bestValLoss, keptEpoch: keptEpochOf(state, options) });
      if (shouldStopEarly(state, options)) break;
    }
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
  const keptEpoch = keptEpochOf(state, options);
  const checkpoint = join(config.checkpointDir, checkpointName(keptEpoch));
  let kept = model;
  if (keptEpoch !== state.epoch) {
    const loaded = await loadCheckpoint(tf, checkpoint, config.model);
    loaded.optimizer.dispose();
    model.dispose();
    kept = loaded.model;
  }
  return { model: kept, keptEpoch, checkpoint, history: state.history, options };
}

/**
 * One contrastive step: `x` holds the first views of n tracks, then their second views ([2n, frames, melBins]);
 * returns the batch's NT-Xent loss. Exported for the benchmark.
 */
export function pretrainStep(
  tf: Tf,
  model: LayersModel,
  optimizer: TrainingOptimizer,
  variables: readonly Variable[],
  decays: readonly number[],
  x: Tensor,
  options: Pick<PretrainOptions, "temperature" | "clipNorm">,
): Scalar {
  return optimisationStep(tf, optimizer, variables, decays, options.clipNorm, () => {
    const [a, b] = tf.split(model.apply(x, { training: true }) as Tensor, 2, 0);
    return ntXentLoss(tf, a!, b!, options.temperature);
  });
}

/** Two random, independently augmented crops of each track of `ids`: first views, then second views. */
export function viewBatch(tf: Tf, config: Pick<PretrainConfig, "model" | "tracks">, options: PretrainOptions, ids: readonly number[], rng: Rng): Tensor {
  const { melBins, cropFrames } = config.model;
  const views = [0, 1].map(() => {
    const tracks = ids.map((i) => config.tracks[i]!);
    const starts = tracks.map((t, k) => rng.int(trackFrames(t, melBins, cropFrames, ids[k]!) - cropFrames + 1));
    const crops = windowBatch(tracks, starts, melBins, cropFrames);
    return augmentCrops(crops, cropFrames, melBins, { ...options.augment, masks: options.masks }, rng);
  });
  const both = new Float32Array(views[0]!.length * 2);
  both.set(views[0]!);
  both.set(views[1]!, views[0]!.length);
  return tf.tensor3d(both, [2 * ids.length, cropFrames, melBins]);
}

/** NT-Xent of the validation tracks' fixed pairs, no dropout, averaged over pairs (batches of batchSize). */
function validationLoss(tf: Tf, model: LayersModel, config: PretrainConfig, options: PretrainOptions): number {
  const rng = new Rng((options.seed ^ VALIDATION_SEED) >>> 0);
  let sum = 0;
  let pairs = 0;
  for (const ids of chunks([...config.validationIndices], options.batchSize)) {
    if (ids.length < 2) continue;
    const value = tf.tidy(() => {
      const z = model.predict(viewBatch(tf, config, options, ids, rng)) as Tensor;
      const [a, b] = tf.split(z, 2, 0);
      return ntXentLoss(tf, a!, b!, options.temperature).dataSync()[0]!;
    });
    sum += value * ids.length;
    pairs += ids.length;
  }
  return sum / pairs;
}

async function openSession(tf: Tf, config: PretrainConfig, options: PretrainOptions) {
  const latest = await latestCheckpoint(config.checkpointDir);
  if (latest !== undefined) {
    if (!config.resume) throw new Error(`checkpoint directory ${config.checkpointDir} already holds checkpoints: resume, or use an empty directory`);
    const loaded = await loadCheckpoint(tf, latest, config.model);
    return { model: loaded.model, optimizer: loaded.optimizer, state: loaded.state, lastCheckpoint: latest };
  }
  const { model } = buildModel(tf, config.model, options.seed, options.initializer);
  const optimizer = createOptimizer(tf, options.optimizer, options.learningRate, options.momentum);
  const state: TrainingState = initialState(options);
  const lastCheckpoint = await saveCheckpoint(tf, config.checkpointDir, { model, optimizer, modelOptions: config.model, trainingOptions: options, state });
  return { model, optimizer, state, lastCheckpoint };
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
