import { DecodeError, notAnAudioFile, stderrReason } from "./decode-error.js";
import { assertReadableFile } from "./file-check.js";
import { WINDOW_SAMPLES } from "./logmel.js";
import { oggEndsCleanly } from "./ogg-integrity.js";
import { clipToUnit, f32leSamples, padEnd } from "./pcm.js";
import { probeAudio, type AudioProbe } from "./probe.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTool } from "../util/run-tool.js";

/**
 * Audio decoding with Debian's ffmpeg, f32le mono on pipes: one process per file here (the reference semantics),
 * several files per process in batch-decode.ts.
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
  /**
   * The most of a track decoded for whole-track features, in seconds: a longer one gives its middle this long, with
   * a warning. Default MAX_WHOLE_SECONDS.
   */
  maxWholeSeconds?: number;
}

/**
 * 30 minutes (40M samples, 160 MB as float32, held twice while read): the whole decode of a 6-hour file took
 * 4.4 GB in `features`, and a few at default concurrency exhausted memory. The convnet reads whole-track windows,
 * so half an hour from the middle still gives it over 60 of them.
 */
export const MAX_WHOLE_SECONDS = 1800;

/** More error lines than this in one decode is a damaged file, not a few bad packets to decode past. */
export const MAX_DAMAGE_LINES = 32;

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
  /** What the features of this decode should be read with: packets decoded past, a long track cut to its middle. */
  warnings: string[];
}

// A container's duration is an estimate (mp3 without a Xing header: from the bitrate); allow this much shortfall.
function durationSlack(expectedSamples: number, sampleRate: number): number {
  return Math.ceil(0.01 * expectedSamples + 0.1 * sampleRate);
}

/** Output options for the first audio stream of input `input` (0-based, in the order of the `-i` options). */
function outputArgs(sampleRate: number, input = 0): string[] {
  return ["-map", `${input}:a:0`, "-ac", "1", "-rematrix_maxval", "1", "-ar", String(sampleRate), "-resampler", "swr"];
}

/** What ffmpeg logged at error level and the input formats its info-level banner names. */
export interface DecoderLog {
  /** Error, fatal and panic lines without their level tag, in order; empty for a clean decode. */
  errors: string;
  /**
   * Input k's format from the banner's `Input #k, <format>, from '<path>':` line; missing where ffmpeg never got
   * that far (see formatOf).
   */
  formatNames: string[];
}

/** Input `input`'s format as the log names it, "unknown" if it never got that far. */
export function formatOf(log: DecoderLog, input: number): string {
  return log.formatNames[input] ?? "unknown";
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
  const formatNames: string[] = [];
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
    const input = level === "info" ? /^Input #(\d+), (.+), from '/.exec(message!) : null;
    if (input !== null) formatNames[Number(input[1])] ??= input[2]!;
  }
  return { errors: errors.join("\n"), formatNames };
}

/** One input of a decoder run (its options, `-i` included) and the options of the f32le output made from it. */
export interface DecodeJob {
  input: string[];
  output: string[];
}

export interface DecoderRun {
  /** Each job's f32le bytes, in job order. */
  outputs: Buffer[];
  log: DecoderLog;
  stderr: string;
  /** Why the run's samples can't be trusted (exit status and ffmpeg's error lines); null for a clean run. */
  failure: string | null;
  exitCode: number | null;
}

/**
 * One ffmpeg run, each job's samples as f32le on its own pipe (stdout, then fds 3, 4, …). Its info-level banner
 * names each input's format, which is all the truncation checks need beyond the duration, so no ffprobe is needed
 * when the caller knows the duration.
 *
 * Two options change how the samples travel, never which (batch tests: identical to one run per file). With
 * several inputs ffmpeg 5.1 gives each a demuxer thread that hands packets over one at a time; `-thread_queue_size
 * 0` keeps every input on the main thread instead (8 excerpts: ~25,000 context switches → ~500, a third less CPU).
 * ffmpeg flushes a pipe after every packet (one write per ~2 KiB decoded frame) unless `-flush_packets 0`, which
 * lets each output fill its 32 KiB buffer: a tenth of the writes, and of the reads on our side.
 */
export async function runDecoder(ffmpegPath: string, jobs: readonly DecodeJob[]): Promise<DecoderRun> {
  const args = ["-nostdin", "-hide_banner", "-nostats", "-loglevel", "level+info", ...jobs.flatMap((job) => ["-thread_queue_size", "0", ...job.input])];
  jobs.forEach((job, i) => args.push(...job.output, "-flush_packets", "0", "-f", "f32le", i === 0 ? "pipe:1" : `pipe:${i + 2}`));
  const run = await runTool(ffmpegPath, args, jobs.length - 1);
  const log = parseDecoderLog(run.stderr);
  // Strict: ffmpeg conceals undecodable packets and goes on (exit 0), but features from a partly corrupt file
  // are silently wrong, so any error-level message about an input rejects the run.
  const clean = run.exitCode === 0 && log.errors.length === 0;
  const status = run.exitCode === null ? `killed by ${run.signal}` : `exit ${run.exitCode}`;
  return { outputs: [run.stdout, ...run.extraOutputs], log, stderr: run.stderr, failure: clean ? null : `ffmpeg ${status}: ${stderrReason(log.errors)}`, exitCode: run.exitCode };
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
    warnings: [],
  };
}

/** The part of the track the whole-track decode covers: all of it, or its middle maxWholeSeconds. */
function wholeSpan(durationSeconds: number, options: WholeTrackOptions): { startSeconds: number; seconds: number } {
  const { sampleRate = 22050, maxWholeSeconds = MAX_WHOLE_SECONDS } = options;
  if (durationSeconds <= maxWholeSeconds) return { startSeconds: 0, seconds: durationSeconds };
  // Whole output samples, like the excerpt's seek.
  const startSample = Math.floor(((durationSeconds - maxWholeSeconds) / 2) * sampleRate);
  return { startSeconds: startSample / sampleRate, seconds: maxWholeSeconds };
}

function wholeJob(path: string, durationSeconds: number, input: number, options: WholeTrackOptions): DecodeJob {
  const { startSeconds, seconds } = wholeSpan(durationSeconds, options);
  if (startSeconds === 0) return { input: ["-i", path], output: outputArgs(options.sampleRate ?? 22050, input) };
  return { input: ["-ss", startSeconds.toFixed(6), "-i", path], output: [...outputArgs(options.sampleRate ?? 22050, input), "-t", seconds.toFixed(6)] };
}

function wholeFrom(path: string, bytes: Buffer, formatName: string, durationSeconds: number, options: WholeTrackOptions): DecodedAudio {
  const { sampleRate = 22050, minSamples = WINDOW_SAMPLES } = options;
  const span = wholeSpan(durationSeconds, options);
  const samples = span.startSeconds > 0 ? f32leSamples(bytes, 0, Math.floor(span.seconds * sampleRate)) : f32leSamples(bytes);
  const expected = Math.floor(span.seconds * sampleRate);
  if (durationIsReliable(formatName) && samples.length < expected - durationSlack(expected, sampleRate)) {
    throw truncated(path, durationSeconds, samples.length, sampleRate, span.startSeconds);
  }
  const clippedSamples = clipToUnit(samples);
  const minutes = (seconds: number) => `${(seconds / 60).toFixed(1)} min`;
  return {
    path,
    samples: padEnd(samples, minSamples),
    sampleRate,
    startSeconds: span.startSeconds,
    sourceSamples: samples.length,
    padded: samples.length < minSamples,
    clippedSamples,
    formatName,
    durationSeconds,
    warnings:
      span.startSeconds > 0
        ? [`long track: whole-track features from its middle ${minutes(span.seconds)} of ${minutes(durationSeconds)} (the cap on a whole decode)`]
        : [],
  };
}

/** The decodes a caller can ask of one file: the middle excerpt and the whole track. */
export type DecodePart = "excerpt" | "whole";
export type FileDecodeOptions = ExcerptOptions & WholeTrackOptions;

/** How one file's parts are asked of ffmpeg and read back from the outputs of that run. */
export interface FilePlan<P extends DecodePart> {
  /** One job per part, excerpt first; the file's inputs are numbered from the `firstInput` it was planned with. */
  jobs: DecodeJob[];
  /** The parts from this file's outputs (in job order) and input format; rejects a truncated file. */
  finish(outputs: readonly Buffer[], formatName: string): Promise<Record<P, DecodedAudio>>;
}

/**
 * Both parts open the file as an input of their own, one seeked for the excerpt and one read from the start, so
 * each output has exactly the samples of a run of its own (slicing the whole decode instead is not the same: on
 * some Ogg files ffmpeg's accurate seek lands a few milliseconds off).
 */
export function planFile<P extends DecodePart>(path: string, durationSeconds: number, parts: readonly P[], firstInput: number, options: FileDecodeOptions = {}): FilePlan<P> {
  const excerpt = parts.includes("excerpt" as P) ? planExcerpt(path, durationSeconds, firstInput, options) : null;
  const whole = parts.includes("whole" as P) ? wholeJob(path, durationSeconds, firstInput + (excerpt === null ? 0 : 1), options) : null;
  const jobs = [...(excerpt === null ? [] : [excerpt.job]), ...(whole === null ? [] : [whole])];
  return {
    jobs,
    finish: async (outputs, formatName) => {
      await assertComplete(path, formatName);
      const decoded: Partial<Record<DecodePart, DecodedAudio>> = {};
      if (excerpt !== null) decoded.excerpt = excerptFrom(path, outputs[0]!, formatName, durationSeconds, excerpt, options);
      if (whole !== null) decoded.whole = wholeFrom(path, outputs[jobs.length - 1]!, formatName, durationSeconds, options);
      return decoded as Record<P, DecodedAudio>;
    },
  };
}

/**
 * The parts of one file from a single ffmpeg process (a process start is the bulk of the cost of a short decode).
 * The reference semantics: batches (batch-decode.ts) must give exactly these samples and errors.
 */
export async function decodeFile<P extends DecodePart>(path: string, parts: readonly P[], options: FileDecodeOptions = {}): Promise<Record<P, DecodedAudio>> {
  try {
    return await decodeWithFfmpeg(path, parts, options);
  } catch (error) {
    if (!(error instanceof DecodeError) || (error.kind !== "corrupt" && error.kind !== "truncated") || !OGG_NAME.test(path)) throw error;
    return decodeOggWithSox(path, parts, options, error);
  }
}

const OGG_NAME = /\.(ogg|oga)$/i;

/** The least of its container duration a second decoder must recover for its samples to be used. */
const SECOND_DECODER_MIN_SHARE = 0.95;

/**
 * Ogg Vorbis that ffmpeg refused, decoded by sox (libvorbisfile), which steps over a page that fails its checksum
 * ("hole in stream") where ffmpeg's demuxer drops seconds around it. sox writes the file's own samples to a
 * temporary WAV and ffmpeg resamples and downmixes that exactly as any other input, so the features differ from a
 * clean file's only where the hole is. Used only when sox recovers nearly all of the stated duration; the track
 * carries a warning naming ffmpeg's reason and what sox recovered.
 */
async function decodeOggWithSox<P extends DecodePart>(path: string, parts: readonly P[], options: FileDecodeOptions, refused: DecodeError): Promise<Record<P, DecodedAudio>> {
  // A cut-off file is missing its end whichever decoder reads it (and its container then states the cut length).
  if (!(await oggEndsCleanly(path))) throw refused;
  const dir = await mkdtemp(join(tmpdir(), "curator-sox-"));
  try {
    const wav = join(dir, "decoded.wav");
    const run = await runTool("sox", ["-V1", path, "-t", "wav", "-e", "floating-point", "-b", "32", wav]).catch(() => null);
    if (run === null || run.exitCode !== 0) throw refused;
    const expected = await containerDuration(path, options);
    const recovered = (await probeAudio(wav, options.ffprobePath)).durationSeconds;
    if (recovered < SECOND_DECODER_MIN_SHARE * expected) throw refused;
    const decoded = await decodeWithFfmpeg(wav, parts, { ...options, probe: { durationSeconds: recovered } });
    const warning = `ffmpeg refused it (${refused.kind}: ${refused.reason}); decoded by sox (libvorbisfile): ${recovered.toFixed(2)} s of ${expected.toFixed(2)} s`;
    for (const part of Object.values<DecodedAudio>(decoded)) {
      part.path = path;
      part.formatName = "ogg";
      part.warnings.unshift(warning);
    }
    return decoded;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function decodeWithFfmpeg<P extends DecodePart>(path: string, parts: readonly P[], options: FileDecodeOptions): Promise<Record<P, DecodedAudio>> {
  const durationSeconds = await containerDuration(path, options);
  const plan = planFile(path, durationSeconds, parts, 0, options);
  const run = await runDecoder(options.ffmpegPath ?? "ffmpeg", plan.jobs);
  if (run.failure !== null) {
    // ffmpeg opened the file but found no audio stream to map, or decoded not one sample: not a broken
    // recording, not audio at all.
    if (/Stream map '0:a:0' matches no streams/.test(run.log.errors)) throw notAnAudioFile(path, "ffmpeg found no audio stream", run.log.errors);
    if (run.outputs.every((bytes) => bytes.length === 0)) throw notAnAudioFile(path, "ffmpeg decoded no audio from it", run.log.errors);
    const damage = packetDamage(run);
    if (damage === null) throw new DecodeError(path, "corrupt", run.failure, run.stderr);
    // The length checks in finish still refuse a file that lost more than a few packets' worth of audio.
    const decoded = await plan.finish(run.outputs, formatOf(run.log, 0));
    for (const part of Object.values<DecodedAudio>(decoded)) part.warnings.unshift(damage);
    return decoded;
  }
  return plan.finish(run.outputs, formatOf(run.log, 0));
}

/**
 * A run ffmpeg finished (exit 0) with every output filled and a few error lines is a file with a few bad packets
 * (one bad Ogg page in supertux's christmas_theme.ogg, which libsndfile decodes whole): ffmpeg conceals them and
 * decodes past, so the track is kept with a warning saying so. Anything more is a damaged file.
 */
function packetDamage(run: DecoderRun): string | null {
  const lines = run.log.errors.split("\n").filter((line) => line.length > 0);
  if (run.exitCode !== 0 || lines.length === 0 || lines.length > MAX_DAMAGE_LINES || run.outputs.some((bytes) => bytes.length === 0)) return null;
  return `decoded past damaged packets (${lines.length} decoder error line${lines.length === 1 ? "" : "s"}, first: ${lines[0]!.replace(/^\[[^\]]*\] /, "")})`;
}

/**
 * Exactly `excerptSamples` samples centred on the track's middle. Seeks (`-ss` before `-i`, accurate seek) to
 * `preRollSeconds` before the excerpt and drops that pre-roll. Tracks shorter than the excerpt are decoded whole,
 * zero-padded at the end and flagged `padded`.
 */
export async function decodeExcerpt(path: string, options: ExcerptOptions = {}): Promise<DecodedAudio> {
  return (await decodeFile(path, ["excerpt"], options)).excerpt;
}

/** The whole track, for whole-track features; shorter than `minSamples` → zero-padded and flagged. */
export async function decodeWhole(path: string, options: WholeTrackOptions = {}): Promise<DecodedAudio> {
  return (await decodeFile(path, ["whole"], options)).whole;
}
