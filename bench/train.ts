/**
 * Training speed: seconds per SGD step (Nesterov momentum, MSE, dropout on, as in the post; the legacy
 * training settings, not the corpus-tuned Adam defaults) at batch 16 on the full network and
 * 599 × 128 clips, ours (`train()` on the native tensorflow backend, timed between onBatch callbacks, so batch
 * assembly and the NaN checks count) against the same network in PyTorch CPU (bench/anchors/train_torch.py, on
 * fixed tensors). Both use BENCH_THREADS threads (default 2). Warm-up steps are excluded.
 *
 * The two sides run one after the other, so a burst of load on a shared machine lands on one of them: the JSON line
 * compares the median wall time of a step (the table also shows the mean, and CPU time).
 *
 * Env: TRAIN_BENCH_STEPS (20), TRAIN_BENCH_WARMUP (5), BENCH_THREADS (2), BENCH_TORCH_DEVICE (cpu | cuda),
 * BENCH_PYTHON (see support/convnet.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { loadTensorflow } from "@curator/worker/model/backend.js";
import { LEGACY_TRAINING } from "@curator/worker/model/schedule.js";
import { inMemoryProvider, train } from "@curator/worker/model/train.js";

import { BENCH_MODEL, pinTensorflowThreads, randomClips, THREADS, torchAnchor } from "./support/convnet.js";
import { median } from "./support/stats.js";

const BATCH = 16;
/** The anchor's step: the legacy settings are the post's (Nesterov SGD on plain MSE, Glorot init, no penalty). */
const ANCHOR_STEP = { ...LEGACY_TRAINING, learningRate: 0.01, momentum: 0.9 };
const steps = Number(process.env.TRAIN_BENCH_STEPS ?? 20);
const warmup = Number(process.env.TRAIN_BENCH_WARMUP ?? 5);

pinTensorflowThreads();
const { tf, name } = await loadTensorflow();
const clips = randomClips((warmup + steps) * BATCH + 1, 16);
const targets = randomClips(clips.length, 40).map((c) => c.subarray(0, BENCH_MODEL.outputDims));
const dir = mkdtempSync(join(tmpdir(), "bench-train-"));
const marks: { wall: number; cpu: number }[] = [];
const mark = () => {
  const cpu = process.cpuUsage();
  marks.push({ wall: performance.now() / 1000, cpu: (cpu.user + cpu.system) / 1e6 });
};
try {
  const result = await train(tf, {
    model: BENCH_MODEL,
    // Not the corpus-tuned defaults (Adam, He init, an L2 penalty): the anchor would time another step.
    training: { ...ANCHOR_STEP, epochs: 1, batchSize: BATCH, keepCheckpoints: 1 },
    provider: inMemoryProvider(clips.map((inputs, i) => ({ inputs, targets: targets[i]! }))),
    trainIndices: [...Array(clips.length - 1).keys()],
    validationIndices: [clips.length - 1],
    checkpointDir: dir,
    onBatch: mark,
  });
  result.model.dispose();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
// marks[warmup - 1] is the end of the last warm-up step.
const timed = marks.slice(warmup - 1);
const first = timed[0]!;
const last = timed.at(-1)!;
const ours = {
  median: median(timed.slice(1).map((m, i) => m.wall - timed[i]!.wall)),
  wall: (last.wall - first.wall) / steps,
  cpu: (last.cpu - first.cpu) / steps,
};
const { result: anchorResult, name: anchorName, describe } = torchAnchor("train_torch.py", {
  batch: BATCH,
  warmup,
  steps,
  lr: ANCHOR_STEP.learningRate,
  momentum: ANCHOR_STEP.momentum,
});
const anchor = {
  median: median(anchorResult.step_wall_s as number[]),
  wall: Number(anchorResult.wall_s_per_step),
  cpu: Number(anchorResult.cpu_s_per_step),
};

console.log(`train: full network (${BENCH_MODEL.convFilters.join("/")} filters, ${BENCH_MODEL.denseUnits.join("/")} dense), ` +
  `batch ${BATCH} × ${BENCH_MODEL.cropFrames} × ${BENCH_MODEL.melBins}, ${steps} steps after ${warmup} warm-up, ${THREADS} threads`);
console.log(`ours:   ${name}`);
console.log(`anchor: ${describe}\n`);
console.log("             median wall s/step   mean wall s/step   CPU s/step");
for (const [label, side] of [["ours", ours], ["pytorch", anchor]] as const) {
  console.log(`${label.padEnd(12)} ${side.median.toFixed(3).padStart(18)}   ${side.wall.toFixed(3).padStart(16)}   ${side.cpu.toFixed(3).padStart(10)}`);
}
console.log(
  JSON.stringify({
    bench: "train",
    unit: "s/step",
    ours: ours.median,
    anchor: anchor.median,
    anchor_name: anchorName,
    ratio: ours.median / anchor.median,
  }),
);
