import { DecodeError, stderrReason } from "./decode-error.js";
import { assertReadableFile } from "./file-check.js";
import { WINDOW_SAMPLES } from "./logmel.js";
import { oggEndsCleanly } from "./ogg-integrity.js";
import { clipToUnit, f32leSamples, padEnd } from "./pcm.js";
import { probeAudio, type AudioProbe } from "./probe.js";
import { runTool } from "./spawn-tool.js";

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
   * ffprobe process is started. A file that is not audio at all then fails as "corrupt" (ffmpeg finds no audio
   * stream to map) rather than "not-audio".
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

function outputArgs(sampleRate: number): string[] {
  return ["-map", "0:a:0", "-ac", "1", "-rematrix_maxval", "1", "-ar", String(sampleRate), "-resampler", "swr"];
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

/**
 * One ffmpeg run to f32le on a pipe. Its info-level banner names the input format, which is all the truncation
 * checks need beyond the duration, so no ffprobe is needed when the caller knows the duration.
 */
async function runDecoder(path: string, ffmpegPath: string, args: string[]): Promise<{ bytes: Buffer; formatName: string }> {
  const run = await runTool(ffmpegPath, ["-nostdin", "-hide_banner", "-nostats", "-loglevel", "level+info", ...args, "-f", "f32le", "pipe:1"]);
  const log = parseDecoderLog(run.stderr);
  // Strict: ffmpeg conceals undecodable packets and goes on (exit 0), but features from a partly corrupt file
  // are silently wrong, so any error-level message about the input rejects the file.
  if (run.exitCode !== 0 || log.errors.length > 0) {
    const status = run.exitCode === null ? `killed by ${run.signal}` : `exit ${run.exitCode}`;
    throw new DecodeError(path, "corrupt", `ffmpeg ${status}: ${stderrReason(log.errors)}`, run.stderr);
  }
  return { bytes: run.stdout, formatName: log.formatName };
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

/**
 * Exactly `excerptSamples` samples centred on the track's middle. Seeks (`-ss` before `-i`, accurate seek) to
 * `preRollSeconds` before the excerpt and drops that pre-roll. Tracks shorter than the excerpt are decoded whole,
 * zero-padded at the end and flagged `padded`.
 */
export async function decodeExcerpt(path: string, options: ExcerptOptions = {}): Promise<DecodedAudio> {
  const {
    sampleRate = 22050,
    ffmpegPath = "ffmpeg",
    excerptSamples = WINDOW_SAMPLES,
    preRollSeconds = 0.2,
  } = options;
  const durationSeconds = await containerDuration(path, options);
  const totalSamples = Math.floor(durationSeconds * sampleRate);
  const startSample = Math.max(0, Math.floor((totalSamples - excerptSamples) / 2));
  const preRoll = Math.min(startSample, Math.round(preRollSeconds * sampleRate));
  const seekSample = startSample - preRoll;
  const wanted = preRoll + excerptSamples;
  // Seek and length are whole output samples; a little extra length guards against -t rounding down.
  const args = [
    ...(seekSample > 0 ? ["-ss", (seekSample / sampleRate).toFixed(6)] : []),
    "-i", path,
    ...outputArgs(sampleRate),
    "-t", ((wanted + sampleRate / 10) / sampleRate).toFixed(6),
  ];
  const { bytes, formatName } = await runDecoder(path, ffmpegPath, args);
  await assertComplete(path, formatName);
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

/** The whole track, for whole-track features; shorter than `minSamples` → zero-padded and flagged. */
export async function decodeWhole(path: string, options: WholeTrackOptions = {}): Promise<DecodedAudio> {
  const { sampleRate = 22050, ffmpegPath = "ffmpeg", minSamples = WINDOW_SAMPLES } = options;
  const durationSeconds = await containerDuration(path, options);
  const { bytes, formatName } = await runDecoder(path, ffmpegPath, ["-i", path, ...outputArgs(sampleRate)]);
  await assertComplete(path, formatName);
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
