// Training options and the per-epoch bookkeeping a checkpoint carries: learning-rate schedule and early stopping.
import { NO_MASKS, type MaskOptions } from "./spec-augment.js";

/**
 * - constant: the initial rate throughout.
 * - step: multiply by `factor` after every `everyEpochs` epochs (step decay).
 * - plateau: multiply by `factor` once the validation loss has not improved for `patience` epochs, then wait
 *   another `patience` epochs before the next cut; never below `minLearningRate` (reduce-on-plateau).
 */
export type LearningRateSchedule =
  | { kind: "constant" }
  | { kind: "step"; everyEpochs: number; factor: number }
  | { kind: "plateau"; patience: number; factor: number; minLearningRate: number };

/**
 * - nesterov: SGD with Nesterov momentum, the paper's optimiser.
 * - adam: Adam (β₁ = momentum, β₂ = 0.999). A deviation from the paper: it trained better on the Debian corpus
 *   (docs/experiments/2026-12-07-training-options.md).
 */
export type OptimizerKind = "nesterov" | "adam";

/** Weight initialisation of the conv and dense kernels: He (uniform) suits ReLU layers; Glorot is Keras' default. */
export type WeightInit = "he" | "glorot";

/**
 * The weights a run ends with (what predict uses): those of the epoch with the lowest validation loss, or of the
 * last epoch (early stopping on the validation loss still ends the run). The last epoch's ranked the cold tracks at
 * least as well in eight of nine runs: the validation loss of ~40 tracks bottoms out early
 * (docs/experiments/2026-12-07-training-options.md).
 */
export type KeptWeights = "best" | "last";

/**
 * What the best epoch, early stopping and the plateau schedule follow:
 * - loss: the validation loss (squared error of the validation tracks' centre crops against their unit CF factors);
 * - auc: the validation AUC: every user with plays among the validation tracks ranks them by user factor ·
 *   predicted factor (the cold-start evaluation's measure, on tracks the net never trained on).
 * The default stays loss: the AUC of ~40 validation tracks swings too much from epoch to epoch to pick an epoch by
 * (docs/experiments/2026-12-07-training-options.md).
 */
export type Monitor = "loss" | "auc";

export interface TrainingOptions {
  /** Last epoch to run (epochs count from 1; a resumed run continues up to this one). */
  epochs: number;
  batchSize: number;
  /** Initial (peak, after warm-up) learning rate. */
  learningRate: number;
  /** Nesterov momentum, or Adam's β₁. */
  momentum: number;
  optimizer: OptimizerKind;
  schedule: LearningRateSchedule;
  /** Epochs over which the learning rate ramps linearly (per batch) from ~0 to learningRate; 0: none. */
  warmupEpochs: number;
  /**
   * Squared error per example: "mean" over the factor dimensions (Keras' MSE) or "sum" over them. The sum is the
   * mean × outputDims: for SGD a 40× larger effective step; Adam is indifferent. Reported losses are always
   * per-dimension means.
   */
  loss: "mean" | "sum";
  /** L2 penalty on the conv and dense kernels (not biases), added to their gradients; 0: none. */
  weightDecay: number;
  /** Rescale the gradients when their global L2 norm exceeds this; 0: no clipping. */
  clipNorm: number;
  /**
   * The output layer starts at the mean training target (bias = mean, kernel = 0), so the net predicts exactly
   * the mean at first and the layers below only learn each track's offset from it: regressing centred targets
   * and adding the mean back, with nothing extra to carry into predict. Without it, the random initial output
   * (large: the global L2 pooling grows with the window) is what the first epochs spend themselves unlearning,
   * and the net settles on the mean factor vector.
   */
  centreTargets: boolean;
  initializer: WeightInit;
  /** Early stopping: stop after this many epochs without a validation improvement of at least minDelta. */
  patience: number;
  monitor: Monitor;
  keepWeights: KeptWeights;
  minDelta: number;
  /** Seeds weight initialisation, shuffling and crops. */
  seed: number;
  /** Most recent checkpoints kept on disk; the best one is kept as well. */
  keepCheckpoints: number;
  /** Scale each target to unit L2 norm before the loss (the post regresses unit-normalised CF factors). */
  unitTargets: boolean;
  /**
   * SpecAugment masks on the training crops (spec-augment.ts); validation and prediction see whole crops. Off by
   * default: they regularise, but early stopping and the learning-rate cuts do as well on their own and the masks
   * add nothing to them (docs/experiments/2026-12-07-training-options.md).
   */
  masks: MaskOptions;
}

/**
 * What a run recorded before an option existed trained with: a resumed old run keeps its behaviour, whatever
 * TRAINING_DEFAULTS say now.
 */
export const LEGACY_TRAINING: Pick<
  TrainingOptions,
  "optimizer" | "warmupEpochs" | "loss" | "weightDecay" | "clipNorm" | "centreTargets" | "initializer" | "keepWeights" | "monitor" | "masks"
> = {
  optimizer: "nesterov",
  warmupEpochs: 0,
  loss: "mean",
  weightDecay: 0,
  clipNorm: 0,
  centreTargets: false,
  initializer: "glorot",
  keepWeights: "best",
  monitor: "loss",
  masks: NO_MASKS,
};

/**
 * Tuned on the 342-track Debian game-music corpus (233 training tracks, `npm run eval -- coldstart`; figures in
 * docs/experiments/2026-12-07-training-options.md): with the legacy settings the net never got below predicting
 * the mean factor vector. What made it learn: the output
 * starting at the mean target (zero kernel), He initialisation, Adam; against memorising a few hundred tracks:
 * weight decay, dropout 0.5 and whole-track crops (the small preset then beat the tiny one); a plateau patience of 4 because
 * the validation loss of ~40 tracks is noisy and a patience of 2 halved the rate within a few epochs; for the same
 * noise, the last epoch's weights rather than the lowest validation loss's (KeptWeights).
 */
export const TRAINING_DEFAULTS: TrainingOptions = {
  epochs: 40,
  batchSize: 16,
  learningRate: 5e-4,
  momentum: 0.9,
  optimizer: "adam",
  schedule: { kind: "plateau", patience: 4, factor: 0.5, minLearningRate: 1e-5 },
  warmupEpochs: 0,
  loss: "sum",
  weightDecay: 1e-3,
  clipNorm: 0,
  centreTargets: true,
  initializer: "he",
  patience: 10,
  monitor: "loss",
  keepWeights: "last",
  minDelta: 1e-5,
  seed: 2014,
  keepCheckpoints: 2,
  unitTargets: true,
  masks: NO_MASKS,
};

export interface EpochReport {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  /** Validation AUC (Monitor), when the caller can rank the validation tracks. */
  valAuc?: number;
  /** Learning rate used during this epoch. */
  lr: number;
  seconds: number;
}

/** Everything besides weights that a resumed run needs to continue as the interrupted one would have. */
export interface TrainingState {
  /** Last completed epoch (0: none yet). */
  epoch: number;
  rngState: number;
  learningRate: number;
  /** The validation loss of bestEpoch; Infinity until the first validation. */
  bestValLoss: number;
  bestEpoch: number;
  /** Epochs since the plateau schedule last saw an improvement or cut the rate. */
  plateauWait: number;
  history: EpochReport[];
}

export function initialState(options: TrainingOptions): TrainingState {
  return {
    epoch: 0,
    rngState: options.seed >>> 0,
    learningRate: options.learningRate,
    bestValLoss: Infinity,
    bestEpoch: 0,
    plateauWait: 0,
    history: [],
  };
}

/** State after `report`'s epoch: best loss, and the learning rate for the next epoch. */
export function advance(state: TrainingState, report: EpochReport, rngState: number, options: TrainingOptions): TrainingState {
  const best = state.history.find((r) => r.epoch === state.bestEpoch);
  const improved = best === undefined || improves(report, best, options);
  let { learningRate, plateauWait } = state;
  const schedule = options.schedule;
  if (schedule.kind === "step" && report.epoch % schedule.everyEpochs === 0) learningRate *= schedule.factor;
  if (schedule.kind === "plateau") {
    plateauWait = improved ? 0 : plateauWait + 1;
    if (plateauWait >= schedule.patience) {
      learningRate = Math.max(schedule.minLearningRate, learningRate * schedule.factor);
      plateauWait = 0;
    }
  }
  return {
    epoch: report.epoch,
    rngState,
    learningRate,
    bestValLoss: improved ? report.valLoss : state.bestValLoss,
    bestEpoch: improved ? report.epoch : state.bestEpoch,
    plateauWait,
    history: [...state.history, report],
  };
}

/** Whether `report` beats `best` by at least minDelta in the monitored measure. */
function improves(report: EpochReport, best: EpochReport, options: Pick<TrainingOptions, "monitor" | "minDelta">): boolean {
  if (options.monitor === "loss") return report.valLoss < best.valLoss - options.minDelta;
  return monitoredAuc(report) > monitoredAuc(best) + options.minDelta;
}

function monitoredAuc(report: EpochReport): number {
  if (report.valAuc === undefined || Number.isNaN(report.valAuc)) {
    throw new Error(`epoch ${report.epoch} has no validation AUC to monitor: no user played a validation track`);
  }
  return report.valAuc;
}

/** The epoch whose weights the run keeps so far (options.keepWeights). */
export function keptEpochOf(state: Pick<TrainingState, "epoch" | "bestEpoch">, options: Pick<TrainingOptions, "keepWeights">): number {
  return options.keepWeights === "best" ? state.bestEpoch : state.epoch;
}

export function shouldStopEarly(state: TrainingState, options: TrainingOptions): boolean {
  return state.epoch - state.bestEpoch >= options.patience;
}

/**
 * Why a run ended, as its job record says it: early stopping names the monitored measure, the patience and the
 * best epoch, so "12/40" on a finished job reads as a decision and not as a crash.
 */
export function endOfRun(
  history: readonly EpochReport[],
  bestEpoch: number,
  stoppedEarly: boolean,
  options: Pick<TrainingOptions, "epochs" | "patience" | "monitor">,
): string {
  const last = history.at(-1)?.epoch ?? 0;
  const best = history.find((r) => r.epoch === bestEpoch);
  const measure = options.monitor === "auc" ? "validation AUC" : "validation loss";
  const value = options.monitor === "auc" ? best?.valAuc?.toFixed(4) : best?.valLoss.toPrecision(4);
  const at = `${value ?? "?"} at epoch ${bestEpoch}`;
  if (stoppedEarly) return `stopped early at epoch ${last} of ${options.epochs}: ${measure} had not improved for ${last - bestEpoch} epochs (patience ${options.patience}; best ${at})`;
  return `ran all ${last} of ${options.epochs} epochs (best ${measure} ${at})`;
}

export function validateTrainingOptions(o: TrainingOptions): void {
  const positiveInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`training option ${name} must be a positive integer, got ${v}`);
  };
  positiveInt("epochs", o.epochs);
  positiveInt("batchSize", o.batchSize);
  positiveInt("patience", o.patience);
  positiveInt("keepCheckpoints", o.keepCheckpoints);
  if (!(o.learningRate > 0)) throw new Error(`training option learningRate must be > 0, got ${o.learningRate}`);
  if (!(o.momentum >= 0 && o.momentum < 1)) throw new Error(`training option momentum must be in [0, 1), got ${o.momentum}`);
  if (o.optimizer !== "nesterov" && o.optimizer !== "adam") throw new Error(`training option optimizer must be nesterov or adam, got ${o.optimizer}`);
  if (o.loss !== "mean" && o.loss !== "sum") throw new Error(`training option loss must be mean or sum, got ${o.loss}`);
  if (o.initializer !== "he" && o.initializer !== "glorot") throw new Error(`training option initializer must be he or glorot, got ${o.initializer}`);
  if (o.keepWeights !== "best" && o.keepWeights !== "last") throw new Error(`training option keepWeights must be best or last, got ${o.keepWeights}`);
  if (o.monitor !== "loss" && o.monitor !== "auc") throw new Error(`training option monitor must be loss or auc, got ${o.monitor}`);
  for (const name of ["warmupEpochs", "weightDecay", "clipNorm"] as const) {
    if (!(o[name] >= 0)) throw new Error(`training option ${name} must be ≥ 0, got ${o[name]}`);
  }
  if (!(o.minDelta >= 0)) throw new Error(`training option minDelta must be ≥ 0, got ${o.minDelta}`);
  for (const name of ["freqMasks", "freqMaskWidth", "timeMasks", "timeMaskWidth"] as const) {
    const v = o.masks[name];
    if (!Number.isInteger(v) || v < 0) throw new Error(`training option masks.${name} must be an integer ≥ 0, got ${v}`);
  }
  const s = o.schedule;
  if (s.kind !== "constant" && !(s.factor > 0 && s.factor <= 1)) {
    throw new Error(`learning-rate schedule factor must be in (0, 1], got ${s.factor}`);
  }
  if (s.kind === "step") positiveInt("schedule.everyEpochs", s.everyEpochs);
  if (s.kind === "plateau") positiveInt("schedule.patience", s.patience);
}
