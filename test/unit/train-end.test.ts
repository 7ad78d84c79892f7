import { test } from "node:test";
import assert from "node:assert/strict";
import { advance, endOfRun, initialState, shouldStopEarly, TRAINING_DEFAULTS, type EpochReport, type TrainingOptions } from "@curator/worker/model/schedule.js";

/** Runs the schedule's own bookkeeping over the given validation figures, as train() does, until it stops. */
function run(options: TrainingOptions, figures: { valLoss: number; valAuc?: number }[]) {
  let state = initialState(options);
  let stoppedEarly = false;
  for (const [i, f] of figures.entries()) {
    const report: EpochReport = { epoch: i + 1, trainLoss: 1, lr: options.learningRate, seconds: 1, ...f };
    state = advance(state, report, 0, options);
    if (shouldStopEarly(state, options)) {
      stoppedEarly = true;
      break;
    }
  }
  return endOfRun(state.history, state.bestEpoch, stoppedEarly, options);
}

test("a run stopped by early stopping says at which epoch, on what measure, after how many epochs without improvement", () => {
  const options = { ...TRAINING_DEFAULTS, epochs: 40, patience: 3, monitor: "auc" as const };
  const auc = [0.6, 0.7, 0.65, 0.66, 0.69, 0.5, 0.9];
  assert.equal(
    run(options, auc.map((valAuc) => ({ valLoss: 1, valAuc }))),
    "stopped early at epoch 5 of 40: validation AUC had not improved for 3 epochs (patience 3; best 0.7000 at epoch 2)",
  );
});

test("a run that used every epoch says so, with its best validation loss", () => {
  const options = { ...TRAINING_DEFAULTS, epochs: 3, patience: 10, monitor: "loss" as const };
  assert.equal(run(options, [{ valLoss: 0.5 }, { valLoss: 0.25 }, { valLoss: 0.3 }]), "ran all 3 of 3 epochs (best validation loss 0.2500 at epoch 2)");
});
