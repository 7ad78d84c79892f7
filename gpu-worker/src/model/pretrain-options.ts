// Options of contrastive pretraining (`curator pretrain`, pretrain.ts), declared once for the CLI, the stage and
// the checkpoints. They extend the training options, so the schedule, early stopping, kept weights and checkpoint
// code of training serve pretraining unchanged; the regression-only ones (centreTargets, unitTargets, loss) are
// carried but unused.
import type { AugmentOptions } from "./contrastive.js";
import { TRAINING_DEFAULTS, validateTrainingOptions, type TrainingOptions } from "./schedule.js";

export interface PretrainOptions extends TrainingOptions {
  /** NT-Xent temperature: lower sharpens the softmax over the batch (SimCLR: 0.1–0.5; CLMR 0.5). */
  temperature: number;
  /** Size of the projection head (the network's linear output layer) the loss compares views in. */
  projectionDims: number;
  /** Random pairs of crops per track and epoch: each pass is its own shuffle, so a batch never holds a track twice. */
  passes: number;
  augment: Omit<AugmentOptions, "masks">;
}

/**
 * Batch 32 pairs (63 candidates per view), as CLMR's smaller runs; temperature 0.1 and Adam at 1e-3 as SimCLR's
 * small-batch settings; dropout off in the encoder (the twins must agree, not each be a thinned copy). Gain ±1,
 * tilt ±1 and an EQ bump of ±1.5 in standardised units are audible changes of loudness and colour, not enough to
 * hide the instrument; masks as SpecAugment's LD policy. A constant rate: the validation loss follows training.
 */
export const PRETRAIN_DEFAULTS: PretrainOptions = {
  ...TRAINING_DEFAULTS,
  epochs: 60,
  batchSize: 32,
  learningRate: 1e-3,
  schedule: { kind: "constant" },
  weightDecay: 1e-4,
  patience: 1000,
  keepWeights: "last",
  monitor: "loss",
  temperature: 0.1,
  projectionDims: 128,
  passes: 2,
  augment: { gain: 1, tilt: 1, eq: 1.5 },
  masks: { freqMasks: 2, freqMaskWidth: 16, timeMasks: 2, timeMaskWidth: 64 },
};

/** Dropout of the encoder while it is pretrained (see PRETRAIN_DEFAULTS); fine-tuning uses the preset's. */
export const PRETRAIN_DROPOUT = 0;

export function validatePretrainOptions(o: PretrainOptions): void {
  validateTrainingOptions(o);
  if (!(o.temperature > 0)) throw new Error(`pretraining option temperature must be > 0, got ${o.temperature}`);
  if (!Number.isInteger(o.projectionDims) || o.projectionDims < 2) throw new Error(`pretraining option projectionDims must be an integer ≥ 2, got ${o.projectionDims}`);
  if (!Number.isInteger(o.passes) || o.passes < 1) throw new Error(`pretraining option passes must be a positive integer, got ${o.passes}`);
  if (o.batchSize < 2) throw new Error(`pretraining needs batches of at least 2 tracks (the others are the negatives), got ${o.batchSize}`);
  for (const name of ["gain", "tilt", "eq"] as const) {
    if (!(o.augment[name] >= 0)) throw new Error(`pretraining option augment.${name} must be ≥ 0, got ${o.augment[name]}`);
  }
}
