// The training loop: minibatch SGD with Nesterov momentum (or Adam) on squared error against (unit-normalised)
// CF factors, random time crops (optionally masked, SpecAugment), optional L2 weight decay, gradient clipping and
// warm-up, validation on centre crops each epoch, learning-rate schedule, early stopping and a checkpoint per epoch.
// Deterministic for a seed as far as tfjs allows: initial weights, shuffling, crops and masks are seeded; dropout
// masks come from tfjs's own unseeded generator (a seeded tfjs dropout repeats one mask every step).
import { join } from "node:path";

import type { LayersModel, NamedTensorMap, Scalar, Tensor, Variable } from "@tensorflow/tfjs";

import { buildModel, LAYER_NAMES, type ModelOptions, type Tf } from "./architecture.js";
import { checkpointName, latestCheckpoint, listCheckpoints, loadCheckpoint, pruneCheckpoints, saveCheckpoint } from "./checkpoint.js";
import { createOptimizer, setLearningRate, type TrainingOptimizer } from "./optimizers.js";
import { Rng } from "../util/random.js";
import {
  advance,
  initialState,
  keptEpochOf,
  shouldStopEarly,
  TRAINING_DEFAULTS,
  validateTrainingOptions,
  type EpochReport,
  type TrainingOptions,
  type TrainingState,
} from "./schedule.js";
import { maskCrops } from "./spec-augment.js";
import { centreStart, trackFrames, windowBatch } from "./windows.js";

export interface TrackExample {
  /** Log-mel frames, frame after frame (frames × melBins); at least cropFrames frames. */
  inputs: Float32Array;
  /** CF latent factors (outputDims values). */
  targets: Float32Array;
}

/** Tracks by index: in memory, or streamed from a cache; each batch is fetched when it is needed. */
export interface TrackProvider {
  getBatch(indices: readonly number[]): readonly TrackExample[] | Promise<readonly TrackExample[]>;
}

export function inMemoryProvider(examples: readonly TrackExample[]): TrackProvider {
  return {
    getBatch: (indices) =>
      indices.map((i) => {
        const example = examples[i];
        if (!example) throw new RangeError(`track index ${i} is outside the ${examples.length} tracks`);
        return example;
      }),
  };
}

export interface BatchReport {
  epoch: number;
  /** 1-based. */
  batch: number;
  batches: number;
  loss: number;
  trackIndices: readonly number[];
}

export interface TrainConfig {
  model: ModelOptions;
  training?: Partial<TrainingOptions>;
  provider: TrackProvider;
  /** The split is the caller's, by track; the two must not overlap. */
  trainIndices: readonly number[];
  validationIndices: readonly number[];
  /**
   * Ranks the validation tracks from their predicted factors (validationIndices order × outputDims, centre crops,
   * no dropout) and returns the mean user AUC: reported each epoch, and what `monitor: "auc"` follows.
   */
  validationAuc?: (predictions: Float32Array) => number;
  checkpointDir: string;
  /**
   * Continue from the newest checkpoint in checkpointDir (weights, momentum, learning rate, RNG, epoch); starts
   * afresh when there is none. Without it, a directory that already holds checkpoints is refused.
   */
  resume?: boolean;
  /**
   * Sets weights of a fresh model before its first step (a pretrained encoder, `curator train --init`); the output
   * layer's start (centreTargets) is set after it. Not called on resume: the checkpoint holds the weights.
   */
  initialize?: (model: LayersModel) => Promise<void>;
  /** After each epoch's checkpoint, with the run's standing so far by the loop's own rule (monitor, minDelta, keepWeights). */
  onEpoch?: (report: EpochReport, standing: EpochStanding) => void | Promise<void>;
  onBatch?: (report: BatchReport) => void;
}

export interface EpochStanding {
  bestEpoch: number;
  /** The validation loss of bestEpoch. */
  bestValLoss: number;
  /** The epoch whose weights the run would end with now (TrainingOptions.keepWeights). */
  keptEpoch: number;
}

export interface TrainResult {
  /** With the weights of `keptEpoch`: the best validation epoch or the last one (TrainingOptions.keepWeights). */
  model: LayersModel;
  bestEpoch: number;
  bestValLoss: number;
  keptEpoch: number;
  /** The checkpoint of keptEpoch. */
  checkpoint: string;
  lastCheckpoint: string;
  history: EpochReport[];
  stoppedEarly: boolean;
}

/** Training stopped on a NaN or ±Inf; the checkpoints on disk are the last good state. */
export class NonFiniteError extends Error {
  constructor(
    readonly kind: "inputs" | "targets" | "loss",
    readonly epoch: number,
    readonly phase: "training" | "validation",
    readonly batch: number,
    /** The offending tracks for inputs/targets; the whole batch for a loss. */
    readonly trackIndices: readonly number[],
    readonly lastCheckpoint: string,
  ) {
    super(
      `non-finite ${kind} in epoch ${epoch}, ${phase} batch ${batch}: track${trackIndices.length === 1 ? "" : "s"} ` +
        `${trackIndices.join(", ")}; training stopped, last good checkpoint ${lastCheckpoint}`,
    );
    this.name = "NonFiniteError";
  }
}

interface Session {
  model: LayersModel;
  optimizer: TrainingOptimizer;
  state: TrainingState;
  lastCheckpoint: string;
}

export async function train(tf: Tf, config: TrainConfig): Promise<TrainResult> {
  const options: TrainingOptions = { ...TRAINING_DEFAULTS, ...config.training };
  validateTrainingOptions(options);
  validateSplit(config.trainIndices, config.validationIndices);
  if (options.monitor === "auc" && !config.validationAuc) throw new Error("monitor auc needs a ranking of the validation tracks (validationAuc)");
  const session = await openSession(tf, config, options);
  const { model, optimizer } = session;
  const { melBins, cropFrames } = config.model;
  // Explicit and in model order: the optimizer's accumulators are matched to weights by position.
  const variables = model.trainableWeights.map((w) => w.read() as Variable);
  const decays = model.trainableWeights.map((w) => (w.originalName.endsWith("/kernel") ? options.weightDecay : 0));
  let stoppedEarly = false;

  try {
    for (let epoch = session.state.epoch + 1; epoch <= options.epochs; epoch++) {
      const started = performance.now();
      const learningRate = session.state.learningRate;
      const rng = new Rng(session.state.rngState);
      const order = rng.shuffle([...config.trainIndices]);
      const batches = Math.ceil(order.length / options.batchSize);
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        setLearningRate(optimizer, learningRate * warmup((epoch - 1) * batches + b + 1, options.warmupEpochs * batches));
        const ids = order.slice(b * options.batchSize, (b + 1) * options.batchSize);
        const where = { epoch, phase: "training", batch: b + 1, lastCheckpoint: session.lastCheckpoint } as const;
        const examples = await fetchChecked(config.provider, ids, config.model, where);
        const starts = examples.map((e, i) => rng.int(trackFrames(e.inputs, melBins, cropFrames, ids[i]!) - cropFrames + 1));
        const [x, y] = batchTensors(tf, examples, starts, config.model, options.unitTargets, (inputs) =>
          maskCrops(inputs, cropFrames, melBins, options.masks, rng),
        );
        let loss: Scalar;
        try {
          loss = trainStep(tf, model, optimizer, variables, decays, x, y, options);
        } finally {
          tf.dispose([x, y]);
        }
        const value = (await loss.data())[0]!;
        loss.dispose();
        if (!Number.isFinite(value)) throw new NonFiniteError("loss", epoch, "training", b + 1, ids, session.lastCheckpoint);
        lossSum += value * ids.length;
        config.onBatch?.({ epoch, batch: b + 1, batches, loss: value, trackIndices: ids });
      }
      const validation = await validate(tf, model, config, options, epoch, session.lastCheckpoint);
      const report: EpochReport = {
        epoch,
        trainLoss: lossSum / order.length,
        valLoss: validation.loss,
        ...(config.validationAuc ? { valAuc: config.validationAuc(validation.predictions) } : {}),
        lr: learningRate,
        seconds: (performance.now() - started) / 1000,
      };
      session.state = advance(session.state, report, rng.state, options);
      session.lastCheckpoint = await saveCheckpoint(tf, config.checkpointDir, {
        model,
        optimizer,
        modelOptions: config.model,
        trainingOptions: options,
        state: session.state,
      });
      await prune(config.checkpointDir, session.state, options);
      const { bestEpoch, bestValLoss } = session.state;
      await config.onEpoch?.(report, { bestEpoch, bestValLoss, keptEpoch: keptEpochOf(session.state, options) });
      if (shouldStopEarly(session.state, options)) {
        stoppedEarly = true;
        break;
      }
    }
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
  return finish(tf, config, session, stoppedEarly, options);
}

async function openSession(tf: Tf, config: TrainConfig, options: TrainingOptions): Promise<Session> {
  const latest = await latestCheckpoint(config.checkpointDir);
  if (latest !== undefined) {
    if (!config.resume) {
      throw new Error(`checkpoint directory ${config.checkpointDir} already holds checkpoints: resume, or use an empty directory`);
    }
    const loaded = await loadCheckpoint(tf, latest, config.model);
    return { model: loaded.model, optimizer: loaded.optimizer, state: loaded.state, lastCheckpoint: latest };
  }
  const { model } = buildModel(tf, config.model, options.seed, options.initializer);
  await config.initialize?.(model);
  if (options.centreTargets) await startAtMeanTarget(tf, model, config, options);
  const optimizer = createOptimizer(tf, options.optimizer, options.learningRate, options.momentum);
  const state = initialState(options);
  // Epoch 0 is the initial weights: a failure in the first epoch still leaves a good checkpoint behind.
  const lastCheckpoint = await saveCheckpoint(tf, config.checkpointDir, {
    model,
    optimizer,
    modelOptions: config.model,
    trainingOptions: options,
    state,
  });
  return { model, optimizer, state, lastCheckpoint };
}

/** One optimisation step on the batch's squared error; returns the per-dimension MSE. */
function trainStep(
  tf: Tf,
  model: LayersModel,
  optimizer: TrainingOptimizer,
  variables: readonly Variable[],
  decays: readonly number[],
  x: Tensor,
  y: Tensor,
  options: TrainingOptions,
): Scalar {
  const scale = options.loss === "sum" ? y.shape[1]! : 1;
  const objective = () => tf.mul(tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as Tensor), scale) as Scalar;
  const total = optimisationStep(tf, optimizer, variables, decays, options.clipNorm, objective);
  const loss = tf.div(total, scale) as Scalar;
  total.dispose();
  return loss;
}

/**
 * One step of `optimizer` on `objective` (a forward pass to a scalar loss); returns the loss. The gradients get
 * the L2 penalty of each weight (`decays`, in variable order), then a global-norm clip (`clipNorm` > 0). The update
 * runs after the forward and backward passes' tensors are gone, so that nothing else holds the weights' buffers
 * and the native optimizers update them in place. Training and pretraining (pretrain.ts) step through it.
 */
export function optimisationStep(
  tf: Tf,
  optimizer: TrainingOptimizer,
  variables: readonly Variable[],
  decays: readonly number[],
  clipNorm: number,
  objective: () => Scalar,
): Scalar {
  const { loss, named } = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(objective, [...variables]);
    let gradients = variables.map((v, i) => (decays[i]! > 0 ? tf.add(grads[v.name]!, tf.mul(v, decays[i]!)) : grads[v.name]!));
    if (clipNorm > 0) {
      const norm = tf.sqrt(tf.addN(gradients.map((g) => tf.sum(tf.square(g)))));
      const factor = tf.minimum(1, tf.div(clipNorm, tf.maximum(norm, 1e-12)));
      gradients = gradients.map((g) => tf.mul(g, factor));
    }
    // Inserted in variable order: the optimizers match their accumulators to gradients by position.
    const named: NamedTensorMap = {};
    variables.forEach((v, i) => (named[v.name] = gradients[i]!));
    return { loss: value, named };
  });
  try {
    optimizer.applyGradients(named);
  } catch (error) {
    loss.dispose();
    throw error;
  } finally {
    tf.dispose(Object.values(named));
  }
  return loss;
}

/** Linear warm-up factor for 1-based step `step` of `steps` warm-up steps (1 after them, or with none). */
function warmup(step: number, steps: number): number {
  return steps > 0 && step < steps ? step / steps : 1;
}

/** Sets the output bias to the mean (unit-normalised, as trained) target of the training tracks. */
async function startAtMeanTarget(tf: Tf, model: LayersModel, config: TrainConfig, options: TrainingOptions): Promise<void> {
  const { outputDims } = config.model;
  const tracks = [...new Set(config.trainIndices)];
  const mean = new Float64Array(outputDims);
  for (let b = 0; b < tracks.length; b += options.batchSize) {
    const examples = await config.provider.getBatch(tracks.slice(b, b + options.batchSize));
    for (const e of examples) {
      const norm = options.unitTargets ? Math.hypot(...e.targets) || 1 : 1;
      for (let d = 0; d < outputDims; d++) mean[d]! += e.targets[d]! / norm / tracks.length;
    }
  }
  // A non-finite target is named by the first training batch that holds it; here it just leaves the bias at 0.
  if (!mean.every(Number.isFinite)) return;
  const output = model.getLayer(LAYER_NAMES.output);
  // getWeights hands out the layer's own variables: setWeights copies into them, nothing here is to be disposed.
  const [kernel] = output.getWeights();
  const start = [tf.zerosLike(kernel!), tf.tensor1d(Float32Array.from(mean))];
  output.setWeights(start);
  tf.dispose(start);
}

/** The kept epoch's weights: the model in memory when it is the last epoch, else its checkpoint. */
async function finish(tf: Tf, config: TrainConfig, session: Session, stoppedEarly: boolean, options: TrainingOptions): Promise<TrainResult> {
  const { state } = session;
  const keptEpoch = keptEpochOf(state, options);
  const checkpoint = join(config.checkpointDir, checkpointName(keptEpoch));
  let model = session.model;
  if (keptEpoch !== state.epoch) {
    const kept = await loadCheckpoint(tf, checkpoint, config.model);
    kept.optimizer.dispose();
    model.dispose();
    model = kept.model;
  }
  return {
    model,
    bestEpoch: state.bestEpoch,
    bestValLoss: state.bestValLoss,
    keptEpoch,
    checkpoint,
    lastCheckpoint: session.lastCheckpoint,
    history: state.history,
    stoppedEarly,
  };
}

async function prune(root: string, state: TrainingState, options: TrainingOptions): Promise<void> {
  const epochs = (await listCheckpoints(root)).map((c) => c.epoch);
  await pruneCheckpoints(root, new Set([...epochs.slice(-options.keepCheckpoints), state.bestEpoch]));
}

/** Predictions for the validation tracks' centre crops (no dropout) and their mean squared error. */
async function validate(
  tf: Tf,
  model: LayersModel,
  config: TrainConfig,
  options: TrainingOptions,
  epoch: number,
  lastCheckpoint: string,
): Promise<{ loss: number; predictions: Float32Array }> {
  const { melBins, cropFrames, outputDims } = config.model;
  const ids = config.validationIndices;
  const predictions = new Float32Array(ids.length * outputDims);
  let sum = 0;
  for (let b = 0; b * options.batchSize < ids.length; b++) {
    const batchIds = ids.slice(b * options.batchSize, (b + 1) * options.batchSize);
    const where = { epoch, phase: "validation", batch: b + 1, lastCheckpoint } as const;
    const examples = await fetchChecked(config.provider, batchIds, config.model, where);
    const starts = examples.map((e, i) => centreStart(trackFrames(e.inputs, melBins, cropFrames, batchIds[i]!), cropFrames));
    const [x, y] = batchTensors(tf, examples, starts, config.model, options.unitTargets);
    const predicted = model.predict(x) as Tensor;
    const squared = tf.tidy(() => tf.sum(tf.squaredDifference(predicted, y)));
    tf.dispose([x, y]);
    predictions.set(await predicted.data(), b * options.batchSize * outputDims);
    const value = (await squared.data())[0]!;
    tf.dispose([predicted, squared]);
    if (!Number.isFinite(value)) throw new NonFiniteError("loss", epoch, "validation", b + 1, batchIds, lastCheckpoint);
    sum += value;
  }
  return { loss: sum / (ids.length * outputDims), predictions };
}

interface BatchPlace {
  epoch: number;
  phase: "training" | "validation";
  batch: number;
  lastCheckpoint: string;
}

/** Fetches a batch and refuses wrong target sizes and NaN/±Inf before they reach the weights. */
async function fetchChecked(
  provider: TrackProvider,
  ids: readonly number[],
  model: ModelOptions,
  where: BatchPlace,
): Promise<readonly TrackExample[]> {
  const examples = await provider.getBatch(ids);
  if (examples.length !== ids.length) throw new Error(`track provider returned ${examples.length} tracks for ${ids.length} indices`);
  examples.forEach((e, i) => {
    if (e.targets.length !== model.outputDims) {
      throw new Error(`track ${ids[i]}: ${e.targets.length} target dimensions, the model predicts ${model.outputDims}`);
    }
  });
  for (const kind of ["inputs", "targets"] as const) {
    const bad = ids.filter((_, i) => !allFinite(examples[i]![kind]));
    if (bad.length > 0) throw new NonFiniteError(kind, where.epoch, where.phase, where.batch, bad, where.lastCheckpoint);
  }
  return examples;
}

/** The crops and targets of a batch as tensors; `augment` may change the crops (in place) first. */
function batchTensors(
  tf: Tf,
  examples: readonly TrackExample[],
  starts: readonly number[],
  model: ModelOptions,
  unitTargets: boolean,
  augment?: (inputs: Float32Array) => void,
): [Tensor, Tensor] {
  const { melBins, cropFrames, outputDims } = model;
  const inputs = windowBatch(
    examples.map((e) => e.inputs),
    starts,
    melBins,
    cropFrames,
  );
  augment?.(inputs);
  const targets = new Float32Array(examples.length * outputDims);
  examples.forEach((e, i) => {
    let norm = 1;
    if (unitTargets) norm = Math.hypot(...e.targets) || 1;
    for (let d = 0; d < outputDims; d++) targets[i * outputDims + d] = e.targets[d]! / norm;
  });
  return [tf.tensor3d(inputs, [examples.length, cropFrames, melBins]), tf.tensor2d(targets, [examples.length, outputDims])];
}

function allFinite(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return false;
  return true;
}

function validateSplit(train: readonly number[], validation: readonly number[]): void {
  if (train.length === 0) throw new Error("training needs at least one training track");
  if (validation.length === 0) throw new Error("training needs at least one validation track (early stopping and the schedule use it)");
  const trainSet = new Set(train);
  const overlap = validation.filter((i) => trainSet.has(i));
  if (overlap.length > 0) throw new Error(`tracks in both the training and the validation split: ${overlap.slice(0, 10).join(", ")}`);
}
