/**
 * Pretraining speed: seconds per contrastive step (`curator pretrain`'s defaults: the small preset without dropout,
 * a 128-dim projection head, 32 tracks × 2 views of 512 × 128 frames, NT-Xent, Adam with L2 decay on the kernels),
 * ours (`pretrain()` on the native tensorflow backend, timed between onBatch callbacks, so the crops and their
 * augmentation in JavaScript count) against the same step in PyTorch CPU (bench/anchors/pretrain_torch.py, on
 * fixed tensors, no augmentation). Both use BENCH_THREADS threads (default 2); warm-up steps are excluded; the JSON
 * line compares the median wall time of a step, as bench/train.ts does.
 *
 * Env: PRETRAIN_BENCH_STEPS (15), PRETRAIN_BENCH_WARMUP (3), BENCH_THREADS (2), BENCH_TORCH_DEVICE, BENCH_PYTHON.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { modelOptions } from "@curator/worker/model/architecture.js";
import { loadTensorflow } from "@curator/worker/model/backend.js";
import { PRETRAIN_DEFAULTS, PRETRAIN_DROPOUT } from "@curator/worker/model/pretrain-options.js";
import { pretrain } from "@curator/worker/model/pretrain.js";
import { DEFAULT_PRESET } from "@curator/worker/model/stage-train.js";
import { Rng } from "@curator/worker/util/random.js";

import { pinTensorflowThreads, THREADS, torchAnchor } from "./support/convnet.js";
import { median } from "./support/stats.js";

const steps = Number(process.env.PRETRAIN_BENCH_STEPS ?? 15);
const warmup = Number(process.env.PRETRAIN_BENCH_WARMUP ?? 3);
const options = PRETRAIN_DEFAULTS;
const model = modelOptions(DEFAULT_PRESET, { outputDims: options.projectionDims, dropout: PRETRAIN_DROPOUT });
const BATCH = options.batchSize;

pinTensorflowThreads();
const { tf, name } = await loadTensorflow();
// One batch of tracks, a pass per step: every step is a full batch; 2 more tracks for the (untimed) validation.
const rng = new Rng(16);
const frames = model.cropFrames + 100;
const tracks = Array.from({ length: BATCH + 2 }, () => Float32Array.from({ length: frames * model.melBins }, () => rng.gaussian()));
const dir = mkdtempSync(join(tmpdir(), "bench-pretrain-"));
const marks: { wall: number; cpu: number }[] = [];
const mark = () => {
  const cpu = process.cpuUsage();
  marks.push({ wall: performance.now() / 1000, cpu: (cpu.user + cpu.system) / 1e6 });
};
try {
  const result = await pretrain(tf, {
    model,
    pretraining: { epochs: 1, passes: warmup + steps, keepCheckpoints: 1 },
    tracks,
    trainIndices: [...Array(BATCH).keys()],
    validationIndices: [BATCH, BATCH + 1],
    checkpointDir: dir,
    onBatch: mark,
  });
  result.model.dispose();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const timed = marks.slice(warmup - 1);
const first = timed[0]!;
const last = timed.at(-1)!;
const ours = {
  median: median(timed.slice(1).map((m, i) => m.wall - timed[i]!.wall)),
  wall: (last.wall - first.wall) / steps,
  cpu: (last.cpu - first.cpu) / steps,
};
const { result: anchorResult, name: anchorName, describe } = torchAnchor(
  "pretrain_torch.py",
  { batch: BATCH, warmup, steps, lr: options.learningRate, temperature: options.temperature, weight_decay: options.weightDecay },
  model,
);
const anchor = {
  median: median(anchorResult.step_wall_s as number[]),
  wall: Number(anchorResult.wall_s_per_step),
  cpu: Number(anchorResult.cpu_s_per_step),
};

console.log(
  `pretrain: ${DEFAULT_PRESET} preset (${model.convFilters.join("/")} filters, ${model.denseUnits.join("/")} dense, ${model.outputDims}-dim projection), ` +
    `${BATCH} tracks × 2 views × ${model.cropFrames} × ${model.melBins}, NT-Xent τ=${options.temperature}, Adam; ${steps} steps after ${warmup} warm-up, ${THREADS} threads`,
);
console.log(`ours:   ${name} (crops and augmentation included)`);
console.log(`anchor: ${describe} (fixed views)\n`);
console.log("             median wall s/step   mean wall s/step   CPU s/step");
for (const [label, side] of [["ours", ours], ["pytorch", anchor]] as const) {
  console.log(`${label.padEnd(12)} ${side.median.toFixed(3).padStart(18)}   ${side.wall.toFixed(3).padStart(16)}   ${side.cpu.toFixed(3).padStart(10)}`);
}
console.log(
  JSON.stringify({
    bench: "pretrain",
    unit: "s/step",
    ours: ours.median,
    anchor: anchor.median,
    anchor_name: anchorName,
    ratio: ours.median / anchor.median,
  }),
);
