// Log-mel front end: STFT + mel + log per 599-frame clip, ours (pffft-wasm) vs librosa 0.11 on the same samples in
// the same run, then the whole pipeline with decode as the features stage runs it (the files in the stage's batches,
// each decoded by one ffmpeg process, the duration known from ingest) vs librosa.load + melspectrogram on the same
// files and excerpts; one ffmpeg spawn per file is timed beside it. Both sides run one batch or file after another
// (the stage runs one batch per core), so neither gets a second core.
// Run: npx tsc -b && node bench/dist/mel.js
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { decodeBatch } from "@curator/worker/features/batch-decode.js";
import { planBatches } from "@curator/worker/features/batch-plan.js";
import { decodeExcerpt, decodeFile, type DecodePart, type DecodedAudio } from "@curator/worker/features/decode.js";
import { probeAudio } from "@curator/worker/features/probe.js";
import { logMelSpectrogram, logMelWindows } from "@curator/worker/features/logmel.js";

import { median } from "./support/stats.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ROUNDS = 15;
const CLIPS_PER_ROUND = 10;
// One batch of the stage's default size (planBatches).
const PIPELINE_FILES = 16;
// Each pass lasts about a second, so on a shared machine one burst of load can decide a median of three.
const PIPELINE_PASSES = 5;

/** The librosa anchor as a long-lived process answering one command at a time (see bench/anchors/mel.py). */
async function startAnchor(python: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ask: (command: string) => Promise<number>; stop: () => void }> {
  const child = spawn(python, args, { env, stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done === true) throw new Error("librosa anchor exited early");
    return line.value;
  };
  if ((await next()) !== "ready") throw new Error("librosa anchor did not start");
  return {
    ask: async (command) => {
      child.stdin.write(`${command}\n`);
      return Number(await next());
    },
    stop: () => child.stdin.end(),
  };
}

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));

/**
 * CPU seconds used by this process and its finished children (the ffmpeg runs): a cost that, unlike clips/s, does
 * not depend on how many cores the machine's other work leaves free, nor on ffmpeg's demuxer threads.
 */
function cpuSeconds(): number {
  // /proc/self/stat after "pid (comm) ": field 3 (state) is index 0, so cutime (16) and cstime (17) are 13 and 14.
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6 + (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
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

  const python = execFileSync("bash", [join(repo, "scripts", "python-env.sh"), "bench"], { encoding: "utf8" }).trim().split("\n").pop()!;
  // Ours is single-threaded; numpy's BLAS threads would also fight the other processes on a shared machine.
  const env = { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  const anchor = await startAnchor(python, [join(repo, "bench", "anchors", "mel.py"), samplesPath, ...files], env);

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

  // Each side's rounds alternate with the other's, so a change in the machine's load hits both alike.
  for (let i = 0; i < 20; i++) logMelSpectrogram(samples);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let c = 0; c < CLIPS_PER_ROUND; c++) logMelSpectrogram(samples);
    ours.push(Number(process.hrtime.bigint() - start) / 1e6 / CLIPS_PER_ROUND);
    theirs.push(await anchor.ask(`clips ${CLIPS_PER_ROUND}`));
  }
  const oursMs = median(ours);
  const anchorMs = median(theirs);

  const stageRuns: number[] = [];
  const perFileRuns: number[] = [];
  const anchorRuns: number[] = [];
  const stageCpu: number[] = [];
  const perFileCpu: number[] = [];
  const anchorCpu: number[] = [];
  for (let r = 0; r < PIPELINE_PASSES; r++) {
    stageRuns.push(await pipeline(true, stageCpu));
    perFileRuns.push(await pipeline(false, perFileCpu));
    const cpu = await anchor.ask("cpu");
    anchorRuns.push(await anchor.ask("pipeline"));
    anchorCpu.push(((await anchor.ask("cpu")) - cpu) * 1000 / files.length);
  }
  anchor.stop();
  const stageBatched: number[] = [];
  const stagePerFile: number[] = [];
  for (let r = 0; r < PIPELINE_PASSES; r++) {
    stageBatched.push(await stageTracks(true));
    stagePerFile.push(await stageTracks(false));
  }
  const oursPipeline = median(stageRuns);
  const perFilePipeline = median(perFileRuns);
  const anchorPipeline = median(anchorRuns);

  const ffmpegMs = spawnCostMs("ffmpeg");
  const ffprobeMs = spawnCostMs("ffprobe");
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
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
    JSON.stringify({
      bench: "mel",
      unit: "ms/clip",
      ours: Number(oursMs.toFixed(3)),
      anchor: Number(anchorMs.toFixed(3)),
      anchor_name: "librosa 0.11",
      ratio: Number((oursMs / anchorMs).toFixed(3)),
      pipeline_clips_per_s: Number(oursPipeline.toFixed(3)),
      anchor_pipeline_clips_per_s: Number(anchorPipeline.toFixed(3)),
      pipeline_ratio: Number((oursPipeline / anchorPipeline).toFixed(3)),
      pipeline_cpu_ms_per_clip: Number(median(stageCpu).toFixed(1)),
      anchor_pipeline_cpu_ms_per_clip: Number(median(anchorCpu).toFixed(1)),
    }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
