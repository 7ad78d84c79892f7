// `npm run bench -- library [-- FILE...]`: what analysing a new library costs per track, in CPU seconds, the whole
// way a file goes through the stages (run one track after another, as a user adding a file would):
//   probe (ffprobe) → decode the middle excerpt and the whole track (one ffmpeg) → log-mel of the excerpt and of the
//   whole track's 599-frame windows → chroma of the excerpt → prediction of both modes with their MC-dropout spreads
//   (the predict stage's predictChunk, 10 passes) → first-layer and hidden activations → outlier signals (loudness,
//   silence, flatness, onsets of the excerpt; the whole track's loudness envelope from its own 8 kHz decode).
// Against the same work in librosa 0.11 + PyTorch (bench/anchors/library.py) on the same files, alternating rounds
// (support/rounds.ts). The network is the default preset's (small) at its random initial weights, on
// BENCH_THREADS (2) threads both sides. Files: FILE... (any audio ffmpeg and libsndfile read), else
// LIBRARY_BENCH_TRACKS (3) generated 3-minute Ogg Vorbis tracks. Rounds: LIBRARY_BENCH_ROUNDS (3).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { probeAudio } from "@curator/worker/features/probe.js";
import { decodeFile, decodeWhole } from "@curator/worker/features/decode.js";
import { LOG_MEL_DEFAULTS, logMelSpectrogram, logMelWindows } from "@curator/worker/features/logmel.js";
import { excerptChroma } from "@curator/worker/features/stage.js";
import { loadTensorflow } from "@curator/worker/model/backend.js";
import { buildModel, modelOptions } from "@curator/worker/model/architecture.js";
import { predictChunk } from "@curator/worker/model/stage-predict.js";
import { DEFAULT_PRESET } from "@curator/worker/model/stage-train.js";
import { trackActivations } from "@curator/worker/model/activations.js";
import type { RunModel } from "@curator/worker/model/run-record.js";
import { audioSignals } from "@curator/worker/outliers/audio-signals.js";
import { ENVELOPE_FRAME_RATE, ENVELOPE_PARAMS } from "@curator/worker/outliers/envelope-features.js";
import { envelopeSignals, frameLevelsDb } from "@curator/worker/outliers/envelope.js";

import { pinTensorflowThreads, root, THREADS } from "./support/convnet.js";
import { alternate, cpuSeconds, jsonLine, roundsFrom, timed } from "./support/rounds.js";

const ROUNDS = roundsFrom("LIBRARY_BENCH_ROUNDS", 3);
const GENERATED = Number(process.env.LIBRARY_BENCH_TRACKS ?? 3);
const TRACK_SECONDS = 180;
/** The predict stage's default MC-dropout passes. */
const PASSES = 10;

const { positionals } = parseArgs({ allowPositionals: true });
const work = mkdtempSync(join(tmpdir(), "bench-library-"));
try {
  const files = positionals.length
    ? positionals
    : Array.from({ length: GENERATED }, (_, i) => {
        const path = join(work, `track-${i}.ogg`);
        const mix =
          `aevalsrc='0.3*sin(2*PI*(60+${20 * (i + 1)}*t)*t)+0.2*sin(2*PI*${220 + 10 * i}*t)|0.25*sin(2*PI*330*t)':s=44100:d=${TRACK_SECONDS}[tones];` +
          `anoisesrc=c=pink:a=0.05:r=44100:d=${TRACK_SECONDS}:seed=${i},aformat=channel_layouts=stereo[noise];[tones][noise]amix=inputs=2:normalize=0`;
        execFileSync("ffmpeg", ["-v", "error", "-filter_complex", mix, "-c:a", "libvorbis", path]);
        return path;
      });

  pinTensorflowThreads();
  const { tf, name } = await loadTensorflow();
  const options = modelOptions(DEFAULT_PRESET);
  const { model } = buildModel(tf, options, 1);
  const run = { model, params: { model: options } } as unknown as RunModel;
  const frameRate = LOG_MEL_DEFAULTS.sampleRate / LOG_MEL_DEFAULTS.hopLength;

  /** CPU seconds of each step over the timed rounds (ours), to show where a track's cost goes. */
  const steps = new Map<string, number>();
  let measuring = false;
  async function step<T>(name: string, work: () => Promise<T> | T): Promise<T> {
    const cpu = cpuSeconds();
    const result = await work();
    if (measuring) steps.set(name, (steps.get(name) ?? 0) + cpuSeconds() - cpu);
    return result;
  }

  /** One track, every stage's per-track work; returns the track's duration in seconds. */
  async function analyse(path: string): Promise<number> {
    const probe = await step("probe (ffprobe)", () => probeAudio(path));
    const { excerpt, whole } = await step("decode excerpt + whole (ffmpeg)", () => decodeFile(path, ["excerpt", "whole"], { probe }));
    const middle = await step("log-mel excerpt", () => logMelSpectrogram(excerpt.samples));
    const wholeFrames = await step("log-mel whole windows", () => {
      const windows = logMelWindows(whole.samples);
      const frames = new Float32Array(windows.reduce((n, w) => n + w.data.length, 0));
      windows.reduce((offset, w) => (frames.set(w.data, offset), offset + w.data.length), 0);
      return frames;
    });
    await step("chroma excerpt", () => excerptChroma(excerpt.samples));
    await step(`predict middle + ${PASSES} dropout passes`, () => predictChunk(tf, run, [middle.data], "middle", PASSES));
    await step(`predict whole + ${PASSES} dropout passes`, () => predictChunk(tf, run, [wholeFrames], "whole", PASSES));
    await step("activations", () => trackActivations(tf, model, options, [middle.data]));
    await step("outlier signals (excerpt)", () => audioSignals({ data: middle.data, nMels: middle.nMels, logScale: LOG_MEL_DEFAULTS.logScale, frameRate }));
    await step("envelope (8 kHz decode + levels)", async () => {
      const low = await decodeWhole(path, { sampleRate: ENVELOPE_PARAMS.sampleRate, minSamples: 1, probe });
      envelopeSignals(frameLevelsDb(low.samples.subarray(0, low.sourceSamples), ENVELOPE_PARAMS.frameSamples), ENVELOPE_FRAME_RATE);
    });
    return probe.durationSeconds;
  }

  const seconds = [];
  for (const file of files) seconds.push(await analyse(file)); // warm-up: TensorFlow's kernels, the FFT plans
  const meanMinutes = seconds.reduce((s, x) => s + x, 0) / seconds.length / 60;

  const python = process.env.BENCH_PYTHON ?? execFileSync("bash", ["scripts/python-env.sh", "bench"], { cwd: root, encoding: "utf8" }).trim().split("\n").pop()!;
  let anchorName = "librosa + pytorch";
  const comparison = await alternate({
    bench: "library",
    unit: "CPU-s/track",
    get anchorName() {
      return anchorName;
    },
    rounds: ROUNDS,
    ours: {
      label: "ours",
      async run() {
        measuring = true;
        const { wall, cpu } = await timed(async () => {
          for (const file of files) await analyse(file);
        });
        measuring = false;
        return { value: cpu / files.length, wall, cpu, note: `${(wall / files.length).toFixed(2)} s/track wall` };
      },
    },
    anchor: {
      label: "librosa+torch",
      run() {
        const args = ["bench/anchors/library.py", "--options", JSON.stringify(options), "--threads", String(THREADS), "--passes", String(PASSES), ...files];
        const out = execFileSync(python, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
        const r = JSON.parse(out.trim().split("\n").pop()!) as { cpu_s: number; wall_s: number; tracks: number; librosa: string; torch: string };
        anchorName = `librosa ${r.librosa} + pytorch ${r.torch.split("+")[0]} cpu`;
        return { value: r.cpu_s / r.tracks, wall: r.wall_s, cpu: r.cpu_s, note: `${(r.wall_s / r.tracks).toFixed(2)} s/track wall` };
      },
    },
  });
  model.dispose();
  console.log(`library: ${files.length} tracks of ${meanMinutes.toFixed(2)} min on average, preset ${DEFAULT_PRESET}, ${THREADS} threads; ours on ${name}`);
  const tracksTimed = ROUNDS * files.length;
  console.log("ours, CPU-s per track by step (all rounds):");
  for (const [name, cpu] of steps) console.log(`  ${name.padEnd(36)} ${(cpu / tracksTimed).toFixed(3)}`);
  console.log(`ours ${comparison.ours.toFixed(3)} CPU-s/track (${(comparison.ours / meanMinutes * 3).toFixed(3)} per 3-minute track); anchor ${comparison.anchor.toFixed(3)}`);
  console.log(jsonLine(comparison, { steps_cpu_s: Object.fromEntries([...steps].map(([name, cpu]) => [name, Number((cpu / tracksTimed).toFixed(3))])), tracks: files.length, mean_minutes: Number(meanMinutes.toFixed(3)), preset: DEFAULT_PRESET, threads: THREADS, passes: PASSES, cpu_s_per_3_minutes: Number(((comparison.ours / meanMinutes) * 3).toFixed(3)) }));
} finally {
  rmSync(work, { recursive: true, force: true });
}
