/**
 * Training speed: seconds per SGD step (Nesterov momentum, MSE, dropout on, as in the post; the legacy
 * training settings, not the corpus-tuned Adam defaults) at batch 16 on the full network and
 * 599 × 128 clips, ours (`train()` on the native tensorflow backend, timed between onBatch callbacks, so batch
 * assembly and the NaN checks count) against the same network in PyTorch CPU (bench/anchors/train_torch.py, on
 * fixed tensors). Both use BENCH_THREADS threads (default 2). Warm-up steps are excluded.
 *
 * Env: TRAIN_BENCH_STEPS (10), TRAIN_BENCH_WARMUP (3), BENCH_THREADS (2), BENCH_TORCH_DEVICE (cpu | cuda),
 * BENCH_PYTHON (see support/convnet.ts). The JSON line compares wall s/step.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { loadTensorflow } from "@curator/worker/model/backend.js";
import { LEGACY_TRAINING } from "@curator/worker/model/schedule.js";
import { inMemoryProvider, train } from "@curator/worker/model/train.js";

import { BENCH_MODEL, pinTensorflowThreads, randomClips, THREADS, torchAnchor } from "./support/convnet.js";

const BATCH = 16;
/** The anchor's step: the legacy settings are the post's (Nesterov SGD on plain MSE, Glorot init, no penalty). */
const ANCHOR_STEP = { ...LEGACY_TRAINING, learningRate: 0.01, momentum: 0.9 };
const steps = Number(process.env.TRAIN_BENCH_STEPS ?? 10);
const warmup = Number(process.env.TRAIN_BENCH_WARMUP ?? 3);

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
const first = marks[warmup - 1]!;
const last = marks.at(-1)!;
const ours = { wall: (last.wall - first.wall) / steps, cpu: (last.cpu - first.cpu) / steps };
const { result: anchor, name: anchorName, describe } = torchAnchor("train_torch.py", { batch: BATCH, warmup, steps, lr: ANCHOR_STEP.learningRate });

console.log(`train: full network (${BENCH_MODEL.convFilters.join("/")} filters, ${BENCH_MODEL.denseUnits.join("/")} dense), ` +
  `batch ${BATCH} × ${BENCH_MODEL.cropFrames} × ${BENCH_MODEL.melBins}, ${steps} steps after ${warmup} warm-up, ${THREADS} threads`);
console.log(`ours:   ${name}`);
console.log(`anchor: ${describe}\n`);
console.log("             wall s/step   CPU s/step");
console.log(`ours         ${ours.wall.toFixed(3).padStart(11)}   ${ours.cpu.toFixed(3).padStart(10)}`);
console.log(`pytorch      ${Number(anchor.wall_s_per_step).toFixed(3).padStart(11)}   ${Number(anchor.cpu_s_per_step).toFixed(3).padStart(10)}`);
console.log(
  JSON.stringify({
    bench: "train",
    unit: "s/step",
    ours: ours.wall,
    anchor: anchor.wall_s_per_step,
    anchor_name: anchorName,
    ratio: ours.wall / Number(anchor.wall_s_per_step),
  }),
);
