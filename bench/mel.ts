// Log-mel front end: STFT + mel + log per 599-frame clip, ours (pffft-wasm) vs librosa 0.11 on the same samples in
// the same run, then the whole pipeline with decode as the features stage runs it (the files in the stage's batches,
// each decoded by one ffmpeg process, the duration known from ingest) vs librosa.load + melspectrogram on the same
// files and excerpts; one ffmpeg spawn per file is timed beside it. Both sides run one batch or file after another
// (the stage runs one batch per core), so neither gets a second core.
// Run: npx tsc -b && node bench/dist/mel.js
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeBatch } from "@curator/worker/features/batch-decode.js";
import { planBatches } from "@curator/worker/features/batch-plan.js";
import { decodeExcerpt, decodeFile, type DecodePart, type DecodedAudio } from "@curator/worker/features/decode.js";
import { probeAudio } from "@curator/worker/features/probe.js";
import { logMelSpectrogram, logMelWindows } from "@curator/worker/features/logmel.js";

import { alternate, cpuSeconds, jsonLine, roundsFrom, startLineAnchor, timed } from "./support/rounds.js";
import { median } from "./support/stats.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ROUNDS = roundsFrom("MEL_BENCH_ROUNDS", 9);
const CLIPS_PER_ROUND = 10;
// One batch of the stage's default size (planBatches).
const PIPELINE_FILES = 16;
// Each pass lasts about a second, so on a shared machine one burst of load can decide a median of three.
const PIPELINE_PASSES = roundsFrom("MEL_BENCH_PASSES", 5);

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

  const python = execFileSync("bash", [join(repo, "scripts", "python-env.sh"), "bench"], { encoding: "utf8" }).trim().split("\n").pop()!;
  // Ours is single-threaded; numpy's BLAS threads would also fight the other processes on a shared machine.
  const env = { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  const librosa = await startLineAnchor(python, [join(repo, "bench", "anchors", "mel.py"), samplesPath, ...files], env);
  const anchor = { ask: async (command: string) => Number(await librosa.ask(command)), stop: () => librosa.stop() };

  // Ingest's probe, as Track.durationSec holds it: not part of the features stage's cost.
  const durations = await Promise.all(files.map(async (file) => (await probeAudio(file)).durationSeconds));
  // The stage's batches for one worker (the whole-track bound doesn't split 16 one-minute tracks).
  const batches = planBatches(files.map((_, i) => i), () => 0, { workers: 1 });
  const batchSizes = batches.map((batch) => batch.length).join(" + ");
  /** Every file's parts, from one ffmpeg for the whole batch (the stage's path) or one ffmpeg per file. */
  async function decodeAll<P extends DecodePart>(parts: readonly P[], batched: boolean): Promise<Record<P, DecodedAudio>[]> {
    if (!batched) {
      const decoded: Record<P, DecodedAudio>[] = [];
      for (const [i, file] of files.entries()) decoded.push(await decodeFile(file, parts, { probe: { durationSeconds: durations[i]! } }));
      return decoded;
    }
    const decoded: Record<P, DecodedAudio>[] = [];
    for (const batch of batches) {
      for (const result of await decodeBatch(batch.map((i) => ({ path: files[i]!, durationSeconds: durations[i]!, parts })))) {
        if (result.status === "rejected") throw result.reason;
        decoded.push(result.value);
      }
    }
    return decoded;
  }
  /** Clips/s, and CPU ms per clip in `cpuMs`. */
  async function pipeline(batched: boolean, cpuMs: number[]): Promise<number> {
    const start = process.hrtime.bigint();
    const cpu = cpuSeconds();
    for (const { excerpt } of await decodeAll(["excerpt"], batched)) logMelSpectrogram(excerpt.samples);
    cpuMs.push(((cpuSeconds() - cpu) * 1000) / files.length);
    return files.length / (Number(process.hrtime.bigint() - start) / 1e9);
  }

  // Both modes of the features stage, as it runs (MIDDLE and WHOLE of each track from the batch's one ffmpeg).
  async function stageTracks(batched: boolean): Promise<number> {
    const start = process.hrtime.bigint();
    for (const { excerpt, whole } of await decodeAll(["excerpt", "whole"], batched)) {
      logMelSpectrogram(excerpt.samples);
      logMelWindows(whole.samples);
    }
    return files.length / (Number(process.hrtime.bigint() - start) / 1e9);
  }

  // Both comparisons alternate ours and librosa in rounds (support/rounds.ts), so a change in load hits both alike.
  for (let i = 0; i < 20; i++) logMelSpectrogram(samples);
  /** The anchor's figure and its own CPU seconds for one command (it is a long-lived child: ask it, not rusage). */
  const askTimed = async (command: string): Promise<{ value: number; cpu: number }> => {
    const cpu = await anchor.ask("cpu");
    const value = await anchor.ask(command);
    return { value, cpu: (await anchor.ask("cpu")) - cpu };
  };
  const clips = await alternate({
    bench: "mel",
    unit: "ms/clip",
    anchorName: "librosa 0.11",
    rounds: ROUNDS,
    ours: {
      label: "ours",
      async run() {
        const { wall, cpu } = await timed(() => {
          for (let c = 0; c < CLIPS_PER_ROUND; c++) logMelSpectrogram(samples);
        });
        return { value: (1000 * wall) / CLIPS_PER_ROUND, wall, cpu };
      },
    },
    anchor: {
      label: "librosa",
      async run() {
        const { value, cpu } = await askTimed(`clips ${CLIPS_PER_ROUND}`);
        return { value, wall: (value * CLIPS_PER_ROUND) / 1000, cpu };
      },
    },
  });
  const oursMs = clips.ours;
  const anchorMs = clips.anchor;

  const perFileRuns: number[] = [];
  const stageCpu: number[] = [];
  const perFileCpu: number[] = [];
  const anchorCpu: number[] = [];
  const pipelineRounds = await alternate({
    bench: "mel pipeline",
    unit: "clips/s",
    anchorName: "librosa.load + melspectrogram",
    rounds: PIPELINE_PASSES,
    ours: {
      label: "ours",
      async run() {
        const wall0 = performance.now();
        const cpu0 = cpuSeconds();
        const value = await pipeline(true, stageCpu);
        const sample = { value, wall: (performance.now() - wall0) / 1000, cpu: cpuSeconds() - cpu0 };
        perFileRuns.push(await pipeline(false, perFileCpu));
        return { ...sample, note: `one ffmpeg per file ${perFileRuns.at(-1)!.toFixed(2)} clips/s` };
      },
    },
    anchor: {
      label: "librosa",
      async run() {
        const { value, cpu } = await askTimed("pipeline");
        anchorCpu.push((cpu * 1000) / files.length);
        return { value, wall: files.length / value, cpu };
      },
    },
  });
  anchor.stop();
  const stageBatched: number[] = [];
  const stagePerFile: number[] = [];
  for (let r = 0; r < PIPELINE_PASSES; r++) {
    stageBatched.push(await stageTracks(true));
    stagePerFile.push(await stageTracks(false));
  }
  const oursPipeline = pipelineRounds.ours;
  const perFilePipeline = median(perFileRuns);
  const anchorPipeline = pipelineRounds.anchor;

  const ffmpegMs = spawnCostMs("ffmpeg");
  const ffprobeMs = spawnCostMs("ffprobe");
  console.log(`STFT+mel+log, 599×128 clip (median of ${ROUNDS} alternating rounds × ${CLIPS_PER_ROUND}, warmed):`);
  console.log(`  ours (pffft-wasm)        ${oursMs.toFixed(2)} ms/clip`);
  console.log(`  librosa 0.11, 1 thread  ${anchorMs.toFixed(2)} ms/clip`);
  console.log(`pipeline, ${files.length} × 60 s Ogg, excerpt decode + log-mel, sequential (median of ${PIPELINE_PASSES} alternating passes):`);
  const cpuNote = (values: number[]) => `(${median(values).toFixed(0)} CPU-ms/clip)`;
  console.log(`  ours, stage path (${batchSizes} files per ffmpeg, known duration)  ${oursPipeline.toFixed(2)} clips/s ${cpuNote(stageCpu)}`);
  console.log(`  ours, one ffmpeg per file (known duration)           ${perFilePipeline.toFixed(2)} clips/s ${cpuNote(perFileCpu)}`);
  console.log(`  librosa.load (soundfile + soxr) + mel                 ${anchorPipeline.toFixed(2)} clips/s ${cpuNote(anchorCpu)}`);
  console.log(`features stage, MIDDLE + WHOLE log-mels of the same files (median of ${PIPELINE_PASSES} alternating passes):`);
  console.log(`  one ffmpeg per batch (${batchSizes} files, the stage's path)         ${median(stageBatched).toFixed(2)} tracks/s`);
  console.log(`  one ffmpeg per track                                  ${median(stagePerFile).toFixed(2)} tracks/s`);
  console.log(`process start (median of 20, '-version'): ffmpeg ${ffmpegMs.toFixed(0)} ms, ffprobe ${ffprobeMs.toFixed(0)} ms`);
  console.log(
    jsonLine(clips, {
      pipeline_clips_per_s: Number(oursPipeline.toFixed(3)),
      anchor_pipeline_clips_per_s: Number(anchorPipeline.toFixed(3)),
      pipeline_ratio: Number(pipelineRounds.ratio.toFixed(3)),
      pipeline_ratio_spread: [Number(pipelineRounds.ratioMin.toFixed(3)), Number(pipelineRounds.ratioMax.toFixed(3))],
      pipeline_cpu_ms_per_clip: Number(median(stageCpu).toFixed(1)),
      anchor_pipeline_cpu_ms_per_clip: Number(median(anchorCpu).toFixed(1)),
    }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
