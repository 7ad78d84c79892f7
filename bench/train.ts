/**
 * Training speed: seconds per SGD step (Nesterov momentum, MSE, dropout on, as in the post; the legacy
 * training settings, not the corpus-tuned Adam defaults) at batch 16 on the full network and
 * 599 × 128 clips, ours (`train()` on the native tensorflow backend, timed between onBatch callbacks, so batch
 * assembly and the NaN checks count) against the same network in PyTorch CPU (bench/anchors/train_torch.py, on
 * fixed tensors). Both use BENCH_THREADS threads (default 2). Warm-up steps are excluded.
 *
 * The two sides alternate in rounds (support/rounds.ts); a round's figure is the median wall time of its steps,
 * and its CPU seconds per step are in the table and the JSON line.
 *
 * Env: TRAIN_BENCH_ROUNDS (3), TRAIN_BENCH_STEPS (12 a round), TRAIN_BENCH_WARMUP (3 a round), BENCH_THREADS (2),
 * BENCH_TORCH_DEVICE (cpu | cuda), BENCH_PYTHON (see support/convnet.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { loadTensorflow } from "@curator/worker/model/backend.js";
import { LEGACY_TRAINING } from "@curator/worker/model/schedule.js";
import { inMemoryProvider, train } from "@curator/worker/model/train.js";

import { BENCH_MODEL, pinTensorflowThreads, randomClips, THREADS, torchAnchor } from "./support/convnet.js";
import { alternate, jsonLine, roundsFrom } from "./support/rounds.js";
import { median } from "./support/stats.js";

const BATCH = 16;
/** The anchor's step: the legacy settings are the post's (Nesterov SGD on plain MSE, Glorot init, no penalty). */
const ANCHOR_STEP = { ...LEGACY_TRAINING, learningRate: 0.01, momentum: 0.9 };
const rounds = roundsFrom("TRAIN_BENCH_ROUNDS", 3);
const steps = Number(process.env.TRAIN_BENCH_STEPS ?? 12);
const warmup = Number(process.env.TRAIN_BENCH_WARMUP ?? 3);

pinTensorflowThreads();
const { tf, name } = await loadTensorflow();
const clips = randomClips((warmup + steps) * BATCH + 1, 16);
const targets = randomClips(clips.length, 40).map((c) => c.subarray(0, BENCH_MODEL.outputDims));

/** One training run of warmup + steps batches; the timed steps' median wall and mean CPU seconds. */
async function oursRound(): Promise<{ median: number; cpu: number; wall: number }> {
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
  const timedMarks = marks.slice(warmup - 1);
  const first = timedMarks[0]!;
  const last = timedMarks.at(-1)!;
  return {
    median: median(timedMarks.slice(1).map((m, i) => m.wall - timedMarks[i]!.wall)),
    wall: last.wall - first.wall,
    cpu: last.cpu - first.cpu,
  };
}

let anchorName = "pytorch";
let describe = "";
const comparison = await alternate({
  bench: "train",
  unit: "s/step",
  get anchorName() {
    return anchorName;
  },
  rounds,
  ours: {
    label: "ours",
    async run() {
      const r = await oursRound();
      return { value: r.median, wall: r.wall, cpu: r.cpu, note: `${(r.cpu / steps).toFixed(3)} CPU-s/step` };
    },
  },
  anchor: {
    label: "pytorch",
    run() {
      const a = torchAnchor("train_torch.py", { batch: BATCH, warmup, steps, lr: ANCHOR_STEP.learningRate, momentum: ANCHOR_STEP.momentum });
      anchorName = a.name;
      describe = a.describe;
      const anchor = a.result;
      const cpuPerStep = Number(anchor.cpu_s_per_step);
      return {
        value: median(anchor.step_wall_s as number[]),
        wall: Number(anchor.wall_s_per_step) * steps,
        cpu: cpuPerStep * steps,
        note: `${cpuPerStep.toFixed(3)} CPU-s/step`,
      };
    },
  },
});

console.log(`train: full network (${BENCH_MODEL.convFilters.join("/")} filters, ${BENCH_MODEL.denseUnits.join("/")} dense), ` +
  `batch ${BATCH} × ${BENCH_MODEL.cropFrames} × ${BENCH_MODEL.melBins}, ${steps} steps after ${warmup} warm-up a round, ${THREADS} threads`);
console.log(`ours:   ${name}`);
console.log(`anchor: ${describe}`);
console.log(jsonLine(comparison, {
  ours_cpu_s_per_step: Number((median(comparison.rounds.map((r) => r.ours.cpu)) / steps).toPrecision(4)),
  anchor_cpu_s_per_step: Number((median(comparison.rounds.map((r) => r.anchor.cpu)) / steps).toPrecision(4)),
  threads: THREADS,
}));
