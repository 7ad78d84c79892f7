/**
 * Prediction speed: clips per second of the full network on 599 × 128 clips in batches of 32, ours
 * (`predictExcerpts` on the native tensorflow backend) against the same network in PyTorch CPU
 * (bench/anchors/predict_torch.py, eval mode, inference_mode). Both use BENCH_THREADS threads (default 2);
 * one batch of warm-up each. The two sides alternate in rounds (support/rounds.ts).
 *
 * Env: PREDICT_BENCH_ROUNDS (3), PREDICT_BENCH_CLIPS (256 a round), BENCH_THREADS (2), BENCH_TORCH_DEVICE
 * (cpu | cuda), BENCH_PYTHON.
 */
import { loadTensorflow } from "@curator/worker/model/backend.js";
import { buildModel } from "@curator/worker/model/architecture.js";
import { predictExcerpts } from "@curator/worker/model/predict.js";

import { BENCH_MODEL, pinTensorflowThreads, randomClips, THREADS, torchAnchor } from "./support/convnet.js";
import { alternate, jsonLine, roundsFrom, timed } from "./support/rounds.js";
import { median } from "./support/stats.js";

const BATCH = 32;
const count = Number(process.env.PREDICT_BENCH_CLIPS ?? 256);
const rounds = roundsFrom("PREDICT_BENCH_ROUNDS", 3);

pinTensorflowThreads();
const { tf, name } = await loadTensorflow();
const { model } = buildModel(tf, BENCH_MODEL, 1);
const clips = randomClips(count, 32);
await predictExcerpts(tf, model, BENCH_MODEL, clips.slice(0, BATCH), { batchSize: BATCH });

let anchorName = "pytorch";
let describe = "";
const comparison = await alternate({
  bench: "predict",
  unit: "clips/s",
  get anchorName() {
    return anchorName;
  },
  rounds,
  ours: {
    label: "ours",
    async run() {
      const { wall, cpu } = await timed(() => predictExcerpts(tf, model, BENCH_MODEL, clips, { batchSize: BATCH }));
      return { value: count / wall, wall, cpu, note: `${((1000 * cpu) / count).toFixed(1)} CPU-ms/clip` };
    },
  },
  anchor: {
    label: "pytorch",
    run() {
      const a = torchAnchor("predict_torch.py", { batch: BATCH, clips: count });
      anchorName = a.name;
      describe = a.describe;
      const clipsPerS = Number(a.result.clips_per_s);
      const cpuPerClip = Number(a.result.cpu_s_per_clip);
      return { value: clipsPerS, wall: count / clipsPerS, cpu: cpuPerClip * count, note: `${(1000 * cpuPerClip).toFixed(1)} CPU-ms/clip` };
    },
  },
});
model.dispose();

console.log(`predict: full network, ${count} clips × ${BENCH_MODEL.cropFrames} × ${BENCH_MODEL.melBins} a round, batch ${BATCH}, ${THREADS} threads`);
console.log(`ours:   ${name}`);
console.log(`anchor: ${describe}`);
console.log(jsonLine(comparison, {
  ours_cpu_ms_per_clip: Number(((1000 * median(comparison.rounds.map((r) => r.ours.cpu))) / count).toPrecision(4)),
  anchor_cpu_ms_per_clip: Number(((1000 * median(comparison.rounds.map((r) => r.anchor.cpu))) / count).toPrecision(4)),
  threads: THREADS,
}));
