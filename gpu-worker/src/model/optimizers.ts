// Which optimizer a training run steps with: on the native backend the fused kernels of native-optimizers.ts, on
// the pure-JS ones (training forced there) tfjs's own. Both hold the same state, so a checkpoint of one resumes
// with the other.
import type { Optimizer } from "@tensorflow/tfjs";

import type { Tf } from "./architecture.js";
import { isNativeBackend } from "./native-ops.js";
import { NativeAdam, NativeMomentum } from "./native-optimizers.js";
import type { OptimizerKind } from "./schedule.js";

/** What training and checkpoints use of an optimizer; tfjs's optimizers and the native ones have it. */
export type TrainingOptimizer = Pick<Optimizer, "applyGradients" | "getWeights" | "setWeights" | "dispose" | "getClassName">;

const ADAM_BETA2 = 0.999;

/** A fresh optimizer of `kind`; Adam's β₁ is `momentum`. */
export function createOptimizer(tf: Tf, kind: OptimizerKind, learningRate: number, momentum: number): TrainingOptimizer {
  if (isNativeBackend(tf)) {
    return kind === "adam" ? new NativeAdam(tf, learningRate, momentum, ADAM_BETA2) : new NativeMomentum(tf, learningRate, momentum);
  }
  return kind === "adam" ? tf.train.adam(learningRate, momentum, ADAM_BETA2) : tf.train.momentum(learningRate, momentum, true);
}

/**
 * Learning rate for the next steps. The native optimizers and tfjs's SGD/momentum have a setter (tfjs's cache it
 * in a scalar only the setter renews); tfjs's Adam has none but reads its (protected) field at every step.
 */
export function setLearningRate(optimizer: TrainingOptimizer, learningRate: number): void {
  const target = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (target.setLearningRate) target.setLearningRate(learningRate);
  else target.learningRate = learningRate;
}

const KINDS: Record<string, OptimizerKind> = { Adam: "adam", NativeAdam: "adam", Momentum: "nesterov", NativeMomentum: "nesterov" };

/** From the instance, not the options: a checkpoint must describe the state it actually holds. */
export function optimizerKind(optimizer: TrainingOptimizer): OptimizerKind {
  const name = optimizer.getClassName();
  const kind = KINDS[name];
  if (!kind) throw new Error(`checkpoints hold Adam or Nesterov momentum state, not ${name}`);
  return kind;
}

export function accumulatorsPerWeight(kind: OptimizerKind): number {
  return kind === "adam" ? 2 : 1;
}
