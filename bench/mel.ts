// Log-mel front end: STFT + mel + log per 599-frame clip, ours (pffft-wasm) vs librosa 0.11 on the same samples in
// the same run, then the whole pipeline with decode (ffmpeg spawn per file) vs librosa.load + melspectrogram.
// Run: npx tsc -b && node bench/dist/mel.js
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeExcerpt } from "@curator/worker/features/decode.js";
import { logMelSpectrogram } from "@curator/worker/features/logmel.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ROUNDS = 15;
const CLIPS_PER_ROUND = 10;
const PIPELINE_FILES = 8;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

function spawnCostMs(executable: string, runs = 20): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    spawnSync(executable, ["-version"], { stdio: "ignore" });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

const work = mkdtempSync(join(tmpdir(), "bench-mel-"));
try {
  const files: string[] = [];
  for (let i = 0; i < PIPELINE_FILES; i++) {
    const path = join(work, `track-${i}.ogg`);
    const mix =
      `aevalsrc='0.3*sin(2*PI*(60+${20 * (i + 1)}*t)*t)+0.2*sin(2*PI*${220 + 10 * i}*t)|0.25*sin(2*PI*330*t)':s=44100:d=60[tones];` +
      `anoisesrc=c=pink:a=0.05:r=44100:d=60:seed=${i},aformat=channel_layouts=stereo[noise];[tones][noise]amix=inputs=2:normalize=0`;
    execFileSync("ffmpeg", ["-v", "error", "-filter_complex", mix, "-c:a", "libvorbis", path]);
    files.push(path);
  }
  const samples = (await decodeExcerpt(files[0]!)).samples;
  const samplesPath = join(work, "samples.f32");
  writeFileSync(samplesPath, samples);

  for (let i = 0; i < 20; i++) logMelSpectrogram(samples);
  const ours: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let c = 0; c < CLIPS_PER_ROUND; c++) logMelSpectrogram(samples);
    ours.push(Number(process.hrtime.bigint() - start) / 1e6 / CLIPS_PER_ROUND);
  }
  const oursMs = median(ours);

  const start = process.hrtime.bigint();
  for (const file of files) logMelSpectrogram((await decodeExcerpt(file)).samples);
  const oursPipeline = files.length / (Number(process.hrtime.bigint() - start) / 1e9);

  const python = execFileSync("bash", [join(repo, "scripts", "python-env.sh"), "bench"], { encoding: "utf8" }).trim().split("\n").pop()!;
  const anchorScript = join(repo, "bench", "anchors", "mel.py");
  const anchorArgs = [anchorScript, samplesPath, String(ROUNDS), String(CLIPS_PER_ROUND), ...files];
  // Ours is single-threaded; numpy's BLAS threads would also fight the other processes on a shared machine.
  const env = { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  const anchor = JSON.parse(execFileSync(python, anchorArgs, { encoding: "utf8", env }).trim().split("\n").pop()!) as {
    ms_per_clip: number;
    pipeline_clips_per_s: number;
  };

  const ffmpegMs = spawnCostMs("ffmpeg");
  const ffprobeMs = spawnCostMs("ffprobe");
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  console.log(`STFT+mel+log, 599×128 clip (median of ${ROUNDS} rounds × ${CLIPS_PER_ROUND}, warmed):`);
  console.log(`  ours (pffft-wasm)        ${oursMs.toFixed(2)} ms/clip`);
  console.log(`  librosa 0.11, 1 thread  ${anchor.ms_per_clip.toFixed(2)} ms/clip`);
  console.log(`pipeline, ${files.length} × 60 s Ogg, excerpt decode + log-mel, sequential:`);
  console.log(`  ours (ffprobe + ffmpeg spawn, swr)       ${oursPipeline.toFixed(2)} clips/s`);
  console.log(`  librosa.load (soundfile + soxr) + mel    ${anchor.pipeline_clips_per_s.toFixed(2)} clips/s`);
  console.log(`process start (median of 20, '-version'): ffmpeg ${ffmpegMs.toFixed(0)} ms, ffprobe ${ffprobeMs.toFixed(0)} ms`);
  console.log(
    JSON.stringify({
      bench: "mel",
      unit: "ms/clip",
      ours: Number(oursMs.toFixed(3)),
      anchor: Number(anchor.ms_per_clip.toFixed(3)),
      anchor_name: "librosa 0.11",
      ratio: Number((oursMs / anchor.ms_per_clip).toFixed(3)),
    }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
