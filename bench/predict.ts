/**
 * Prediction speed: clips per second of the full network on 599 × 128 clips in batches of 32, ours
 * (`predictExcerpts` on the native tensorflow backend) against the same network in PyTorch CPU
 * (bench/anchors/predict_torch.py, eval mode, inference_mode). Both use BENCH_THREADS threads (default 2);
 * one batch of warm-up each.
 *
 * Env: PREDICT_BENCH_CLIPS (256), BENCH_THREADS (2), BENCH_TORCH_DEVICE (cpu | cuda), BENCH_PYTHON.
 */
import { loadTensorflow } from "@curator/worker/model/backend.js";
import { buildModel } from "@curator/worker/model/architecture.js";
import { predictExcerpts } from "@curator/worker/model/predict.js";

import { BENCH_MODEL, pinTensorflowThreads, randomClips, THREADS, torchAnchor } from "./support/convnet.js";

const BATCH = 32;
const count = Number(process.env.PREDICT_BENCH_CLIPS ?? 256);

pinTensorflowThreads();
const { tf, name } = await loadTensorflow();
const { model } = buildModel(tf, BENCH_MODEL, 1);
const clips = randomClips(count, 32);
await predictExcerpts(tf, model, BENCH_MODEL, clips.slice(0, BATCH), { batchSize: BATCH });
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await predictExcerpts(tf, model, BENCH_MODEL, clips, { batchSize: BATCH });
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const ours = { clipsPerS: count / wall, cpuPerClip: (cpu.user + cpu.system) / 1e6 / count };
model.dispose();
const { result: anchor, name: anchorName, describe } = torchAnchor("predict_torch.py", { batch: BATCH, clips: count });

console.log(`predict: full network, ${count} clips × ${BENCH_MODEL.cropFrames} × ${BENCH_MODEL.melBins}, batch ${BATCH}, ${THREADS} threads`);
console.log(`ours:   ${name}`);
console.log(`anchor: ${describe}\n`);
console.log("             clips/s   CPU ms/clip");
console.log(`ours         ${ours.clipsPerS.toFixed(1).padStart(7)}   ${(1000 * ours.cpuPerClip).toFixed(1).padStart(11)}`);
console.log(`pytorch      ${Number(anchor.clips_per_s).toFixed(1).padStart(7)}   ${(1000 * Number(anchor.cpu_s_per_clip)).toFixed(1).padStart(11)}`);
console.log(
  JSON.stringify({
    bench: "predict",
    unit: "clips/s",
    ours: ours.clipsPerS,
    anchor: anchor.clips_per_s,
    anchor_name: anchorName,
    ratio: ours.clipsPerS / Number(anchor.clips_per_s),
  }),
);
