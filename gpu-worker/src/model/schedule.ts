// Training options and the per-epoch bookkeeping a checkpoint carries: learning-rate schedule and early stopping.

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

export interface TrainingOptions {
  /** Last epoch to run (epochs count from 1; a resumed run continues up to this one). */
  epochs: number;
  batchSize: number;
  /** Initial learning rate of SGD with Nesterov momentum. */
  learningRate: number;
  momentum: number;
  schedule: LearningRateSchedule;
  /** Early stopping: stop after this many epochs without a validation improvement of at least minDelta. */
  patience: number;
  minDelta: number;
  /** Seeds weight initialisation, shuffling and crops. */
  seed: number;
  /** Most recent checkpoints kept on disk; the best one is kept as well. */
  keepCheckpoints: number;
  /** Scale each target to unit L2 norm before the loss (the post regresses unit-normalised CF factors). */
  unitTargets: boolean;
}

export const TRAINING_DEFAULTS: TrainingOptions = {
  epochs: 50,
  batchSize: 16,
  learningRate: 0.01,
  momentum: 0.9,
  schedule: { kind: "plateau", patience: 2, factor: 0.5, minLearningRate: 1e-5 },
  patience: 5,
  minDelta: 1e-5,
  seed: 2014,
  keepCheckpoints: 2,
  unitTargets: true,
};

export interface EpochReport {
  epoch: number;
  trainLoss: number;
  valLoss: number;
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
  /** Infinity until the first validation. */
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
  const improved = report.valLoss < state.bestValLoss - options.minDelta;
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

export function shouldStopEarly(state: TrainingState, options: TrainingOptions): boolean {
  return state.epoch - state.bestEpoch >= options.patience;
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
  if (!(o.minDelta >= 0)) throw new Error(`training option minDelta must be ≥ 0, got ${o.minDelta}`);
  const s = o.schedule;
  if (s.kind !== "constant" && !(s.factor > 0 && s.factor <= 1)) {
    throw new Error(`learning-rate schedule factor must be in (0, 1], got ${s.factor}`);
  }
  if (s.kind === "step") positiveInt("schedule.everyEpochs", s.everyEpochs);
  if (s.kind === "plateau") positiveInt("schedule.patience", s.patience);
}
