import { DecodeError, stderrReason } from "./decode-error.js";
import { assertReadableFile } from "./file-check.js";
import { WINDOW_SAMPLES } from "./logmel.js";
import { oggEndsCleanly } from "./ogg-integrity.js";
import { clipToUnit, f32leSamples, padEnd } from "./pcm.js";
import { probeAudio, type AudioProbe } from "./probe.js";
import { runTool } from "../util/run-tool.js";

/**
 * Audio decoding with Debian's ffmpeg, one process per file, f32le mono on a pipe.
 *
 * One resampler everywhere: ffmpeg's own swr (`-resampler swr`, its default, named so a build defaulting to soxr
 * can't change features silently); resamplers differ by up to 3 in log1p in the top mel bands.
 * Downmix is the true channel mean: `-ac 1` alone scales float output by √2 ((L+R)/√2); `-rematrix_maxval 1`
 * restores (L+R)/2.
 */
export interface DecodeOptions {
  /** Output sample rate in Hz. Default 22050. */
  sampleRate?: number;
  ffmpegPath?: string;
  ffprobePath?: string;
  /**
   * The container's duration when the caller already has it (ingest stored ffprobe's in Track.durationSec): no
   * ffprobe process is started; a file that is not audio at all still fails as "not-audio" (ffmpeg finds no audio
   * stream to map).
   */
  probe?: Pick<AudioProbe, "durationSeconds">;
}

export interface ExcerptOptions extends DecodeOptions {
  /** Excerpt length in samples. Default 614,400 (27.86 s → exactly 599 frames at n_fft 2048, hop 1024). */
  excerptSamples?: number;
  /** Decoded before the excerpt and dropped: mp3 output is garbage for ~35 ms after a seek. Default 0.2 s. */
  preRollSeconds?: number;
}

export interface WholeTrackOptions extends DecodeOptions {
  /** Tracks shorter than this are zero-padded to it and flagged. Default 614,400 (one convnet window). */
  minSamples?: number;
}

export interface DecodedAudio {
  path: string;
  /** Mono, clipped to [-1, 1] (see clipToUnit), zero-padded at the end where `padded`. */
  samples: Float32Array;
  sampleRate: number;
  /** Where the samples start in the track, in seconds. */
  startSeconds: number;
  /** Samples that came from the file; the rest, if any, is padding. */
  sourceSamples: number;
  padded: boolean;
  /** Samples that exceeded full scale and were clamped. */
  clippedSamples: number;
  /** Container format as ffmpeg's demuxer names it, e.g. "ogg", "mp3", "libopenmpt". */
  formatName: string;
  /** The container's duration the excerpt was centred on and the decode checked against. */
  durationSeconds: number;
}

// A container's duration is an estimate (mp3 without a Xing header: from the bitrate); allow this much shortfall.
function durationSlack(expectedSamples: number, sampleRate: number): number {
  return Math.ceil(0.01 * expectedSamples + 0.1 * sampleRate);
}

/** Output options for the first audio stream of input `input` (0-based, in the order of the `-i` options). */
function outputArgs(sampleRate: number, input = 0): string[] {
  return ["-map", `${input}:a:0`, "-ac", "1", "-rematrix_maxval", "1", "-ar", String(sampleRate), "-resampler", "swr"];
}

/** What ffmpeg logged at error level and the input format its info-level banner names. */
export interface DecoderLog {
  /** Error, fatal and panic lines without their level tag, in order; empty for a clean decode. */
  errors: string;
  /** From the banner's first line, `Input #0, <format>, from '<path>':`; "unknown" if it never got that far. */
  formatName: string;
}

const LEVELED_LINE = /^(?:\[(\w+) @ [^\]]*\] )?\[(\w+)\] (.*)$/;
const ERROR_LEVELS = new Set(["error", "fatal", "panic"]);

/**
 * Reads stderr of ffmpeg run with `-loglevel level+info`, where each line carries its level in brackets after an
 * optional `[component @ address]`. Lines without a tag continue the previous message and share its level.
 * Messages of our own f32le output muxer (timestamp jitter carried over from the source) say nothing about the
 * samples and are left out of `errors`.
 */
export function parseDecoderLog(stderr: string): DecoderLog {
  const errors: string[] = [];
  let formatName = "unknown";
  let isError = false;
  for (const line of stderr.split("\n")) {
    const match = LEVELED_LINE.exec(line);
    if (match === null) {
      if (isError && line.trim().length > 0) errors.push(line);
      continue;
    }
    const [, component, level, message] = match;
    isError = ERROR_LEVELS.has(level!) && component !== "f32le";
    if (isError) errors.push(component === undefined ? message! : `[${component}] ${message!}`);
    const input = formatName === "unknown" && level === "info" ? /^Input #0, (.+), from '/.exec(message!) : null;
    if (input !== null) formatName = input[1]!;
  }
  return { errors: errors.join("\n"), formatName };
}

/** One input of a decoder run (its options, `-i` included) and the options of the f32le output made from it. */
interface DecodeJob {
  input: string[];
  output: string[];
}

/**
 * One ffmpeg run, each job's samples as f32le on its own pipe (stdout, then fds 3, 4, …). Its info-level banner
 * names the input format, which is all the truncation checks need beyond the duration, so no ffprobe is needed
 * when the caller knows the duration.
 */
async function runDecoder(path: string, ffmpegPath: string, jobs: DecodeJob[]): Promise<{ outputs: Buffer[]; formatName: string }> {
  const args = ["-nostdin", "-hide_banner", "-nostats", "-loglevel", "level+info", ...jobs.flatMap((job) => job.input)];
  jobs.forEach((job, i) => args.push(...job.output, "-f", "f32le", i === 0 ? "pipe:1" : `pipe:${i + 2}`));
  const run = await runTool(ffmpegPath, args, jobs.length - 1);
  const log = parseDecoderLog(run.stderr);
  // Strict: ffmpeg conceals undecodable packets and goes on (exit 0), but features from a partly corrupt file
  // are silently wrong, so any error-level message about the input rejects the file.
  if (run.exitCode !== 0 || log.errors.length > 0) {
    const status = run.exitCode === null ? `killed by ${run.signal}` : `exit ${run.exitCode}`;
    // ffmpeg opened the file but found no audio stream to map: not a broken recording, not audio at all.
    const kind = /Stream map '0:a:0' matches no streams/.test(log.errors) ? "not-audio" : "corrupt";
    throw new DecodeError(path, kind, `ffmpeg ${status}: ${stderrReason(log.errors)}`, run.stderr);
  }
  return { outputs: [run.stdout, ...run.extraOutputs], formatName: log.formatName };
}

/** The duration to centre on and check against: the caller's, else ffprobe's (which also rejects non-audio). */
async function containerDuration(path: string, options: DecodeOptions): Promise<number> {
  if (options.probe === undefined) return (await probeAudio(path, options.ffprobePath)).durationSeconds;
  await assertReadableFile(path);
  return options.probe.durationSeconds;
}

async function assertComplete(path: string, formatName: string): Promise<void> {
  if (formatName === "ogg" && !(await oggEndsCleanly(path))) {
    throw new DecodeError(path, "truncated", "Ogg file does not end with a complete end-of-stream page");
  }
}

/**
 * Tracker modules have no stored duration: the demuxer estimates one from the pattern order, which loops and
 * jumps make unreliable in both directions, so a short decode is not evidence of truncation there.
 */
const ESTIMATED_DURATION_FORMATS = new Set(["libopenmpt", "libmodplug"]);

function durationIsReliable(formatName: string): boolean {
  return !ESTIMATED_DURATION_FORMATS.has(formatName);
}

function truncated(path: string, durationSeconds: number, gotSamples: number, sampleRate: number, atSeconds: number): DecodeError {
  const stoppedAt = (atSeconds + gotSamples / sampleRate).toFixed(2);
  return new DecodeError(path, "truncated", `container reports ${durationSeconds.toFixed(2)} s but decoding stopped at ${stoppedAt} s`);
}

/** Where the excerpt lies and how ffmpeg is asked for it: `-ss` before `-i` (accurate seek) to the pre-roll's start. */
interface ExcerptPlan {
  job: DecodeJob;
  startSample: number;
  preRoll: number;
  seekSample: number;
  totalSamples: number;
}

function planExcerpt(path: string, durationSeconds: number, input: number, options: ExcerptOptions): ExcerptPlan {
  const { sampleRate = 22050, excerptSamples = WINDOW_SAMPLES, preRollSeconds = 0.2 } = options;
  const totalSamples = Math.floor(durationSeconds * sampleRate);
  const startSample = Math.max(0, Math.floor((totalSamples - excerptSamples) / 2));
  const preRoll = Math.min(startSample, Math.round(preRollSeconds * sampleRate));
  const seekSample = startSample - preRoll;
  const wanted = preRoll + excerptSamples;
  // Seek and length are whole output samples; a little extra length guards against -t rounding down.
  const job = {
    input: [...(seekSample > 0 ? ["-ss", (seekSample / sampleRate).toFixed(6)] : []), "-i", path],
    output: [...outputArgs(sampleRate, input), "-t", ((wanted + sampleRate / 10) / sampleRate).toFixed(6)],
  };
  return { job, startSample, preRoll, seekSample, totalSamples };
}

function excerptFrom(path: string, bytes: Buffer, formatName: string, durationSeconds: number, plan: ExcerptPlan, options: ExcerptOptions): DecodedAudio {
  const { sampleRate = 22050, excerptSamples = WINDOW_SAMPLES } = options;
  const { startSample, preRoll, seekSample, totalSamples } = plan;
  const samples = f32leSamples(bytes, preRoll, excerptSamples);
  if (samples.length < excerptSamples && durationIsReliable(formatName) && totalSamples - durationSlack(totalSamples, sampleRate) >= excerptSamples) {
    throw truncated(path, durationSeconds, samples.length + preRoll, sampleRate, seekSample / sampleRate);
  }
  const clippedSamples = clipToUnit(samples);
  return {
    path,
    samples: padEnd(samples, excerptSamples),
    sampleRate,
    startSeconds: startSample / sampleRate,
    sourceSamples: samples.length,
    padded: samples.length < excerptSamples,
    clippedSamples,
    formatName,
    durationSeconds,
  };
}

function wholeJob(path: string, input: number, options: WholeTrackOptions): DecodeJob {
  return { input: ["-i", path], output: outputArgs(options.sampleRate ?? 22050, input) };
}

function wholeFrom(path: string, bytes: Buffer, formatName: string, durationSeconds: number, options: WholeTrackOptions): DecodedAudio {
  const { sampleRate = 22050, minSamples = WINDOW_SAMPLES } = options;
  const samples = f32leSamples(bytes);
  const expected = Math.floor(durationSeconds * sampleRate);
  if (durationIsReliable(formatName) && samples.length < expected - durationSlack(expected, sampleRate)) {
    throw truncated(path, durationSeconds, samples.length, sampleRate, 0);
  }
  const clippedSamples = clipToUnit(samples);
  return {
    path,
    samples: padEnd(samples, minSamples),
    sampleRate,
    startSeconds: 0,
    sourceSamples: samples.length,
    padded: samples.length < minSamples,
    clippedSamples,
    formatName,
    durationSeconds,
  };
}

/**
 * Exactly `excerptSamples` samples centred on the track's middle. Seeks (`-ss` before `-i`, accurate seek) to
 * `preRollSeconds` before the excerpt and drops that pre-roll. Tracks shorter than the excerpt are decoded whole,
 * zero-padded at the end and flagged `padded`.
 */
export async function decodeExcerpt(path: string, options: ExcerptOptions = {}): Promise<DecodedAudio> {
  const durationSeconds = await containerDuration(path, options);
  const plan = planExcerpt(path, durationSeconds, 0, options);
  const { outputs, formatName } = await runDecoder(path, options.ffmpegPath ?? "ffmpeg", [plan.job]);
  await assertComplete(path, formatName);
  return excerptFrom(path, outputs[0]!, formatName, durationSeconds, plan, options);
}

/** The whole track, for whole-track features; shorter than `minSamples` → zero-padded and flagged. */
export async function decodeWhole(path: string, options: WholeTrackOptions = {}): Promise<DecodedAudio> {
  const durationSeconds = await containerDuration(path, options);
  const { outputs, formatName } = await runDecoder(path, options.ffmpegPath ?? "ffmpeg", [wholeJob(path, 0, options)]);
  await assertComplete(path, formatName);
  return wholeFrom(path, outputs[0]!, formatName, durationSeconds, options);
}

/**
 * decodeExcerpt and decodeWhole of one file from a single ffmpeg process: the file is opened as two inputs, one
 * seeked for the excerpt and one read from the start, so each output has exactly the samples of its own run
 * (slicing the whole decode instead is not the same: on some Ogg files ffmpeg's accurate seek lands a few
 * milliseconds off). Saves a process start, the bulk of the cost of a short decode.
 */
export async function decodeExcerptAndWhole(path: string, options: ExcerptOptions & WholeTrackOptions = {}): Promise<{ excerpt: DecodedAudio; whole: DecodedAudio }> {
  const durationSeconds = await containerDuration(path, options);
  const plan = planExcerpt(path, durationSeconds, 0, options);
  const { outputs, formatName } = await runDecoder(path, options.ffmpegPath ?? "ffmpeg", [plan.job, wholeJob(path, 1, options)]);
  await assertComplete(path, formatName);
  return {
    excerpt: excerptFrom(path, outputs[0]!, formatName, durationSeconds, plan, options),
    whole: wholeFrom(path, outputs[1]!, formatName, durationSeconds, options),
  };
}
