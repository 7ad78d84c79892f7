import { DecodeError, stderrReason } from "./decode-error.js";
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
  probe: AudioProbe;
}

// A container's duration is an estimate (mp3 without a Xing header: from the bitrate); allow this much shortfall.
function durationSlack(expectedSamples: number, sampleRate: number): number {
  return Math.ceil(0.01 * expectedSamples + 0.1 * sampleRate);
}

function outputArgs(sampleRate: number): string[] {
  return ["-map", "0:a:0", "-ac", "1", "-rematrix_maxval", "1", "-ar", String(sampleRate), "-resampler", "swr"];
}

async function runDecoder(path: string, ffmpegPath: string, args: string[]): Promise<Buffer> {
  const run = await runTool(ffmpegPath, ["-nostdin", "-hide_banner", "-v", "error", ...args, "-f", "f32le", "pipe:1"]);
  // Strict: ffmpeg conceals undecodable packets and goes on (exit 0), but features from a partly corrupt file
  // are silently wrong, so any error-level message about the input rejects the file. Messages of our own f32le
  // output muxer (timestamp jitter carried over from the source) say nothing about the samples and are ignored.
  const inputErrors = run.stderr
    .split("\n")
    .filter((line) => line.trim().length > 0 && !line.startsWith("[f32le @"))
    .join("\n");
  if (run.exitCode !== 0 || inputErrors.length > 0) {
    const status = run.exitCode === null ? `killed by ${run.signal}` : `exit ${run.exitCode}`;
    throw new DecodeError(path, "corrupt", `ffmpeg ${status}: ${stderrReason(run.stderr)}`, run.stderr);
  }
  return run.stdout;
}

async function assertComplete(probe: AudioProbe): Promise<void> {
  if (probe.formatName === "ogg" && !(await oggEndsCleanly(probe.path))) {
    throw new DecodeError(probe.path, "truncated", "Ogg file does not end with a complete end-of-stream page");
  }
}

/**
 * Tracker modules have no stored duration: the demuxer estimates one from the pattern order, which loops and
 * jumps make unreliable in both directions, so a short decode is not evidence of truncation there.
 */
const ESTIMATED_DURATION_FORMATS = new Set(["libopenmpt", "libmodplug"]);

function durationIsReliable(probe: AudioProbe): boolean {
  return !ESTIMATED_DURATION_FORMATS.has(probe.formatName);
}

function truncated(probe: AudioProbe, gotSamples: number, sampleRate: number, atSeconds: number): DecodeError {
  const stoppedAt = (atSeconds + gotSamples / sampleRate).toFixed(2);
  return new DecodeError(
    probe.path,
    "truncated",
    `container reports ${probe.durationSeconds.toFixed(2)} s but decoding stopped at ${stoppedAt} s`,
  );
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
    ffprobePath = "ffprobe",
    excerptSamples = WINDOW_SAMPLES,
    preRollSeconds = 0.2,
  } = options;
  const probe = await probeAudio(path, ffprobePath);
  await assertComplete(probe);
  const totalSamples = Math.floor(probe.durationSeconds * sampleRate);
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
  const bytes = await runDecoder(path, ffmpegPath, args);
  const samples = f32leSamples(bytes, preRoll, excerptSamples);
  if (samples.length < excerptSamples && durationIsReliable(probe) && totalSamples - durationSlack(totalSamples, sampleRate) >= excerptSamples) {
    throw truncated(probe, samples.length + preRoll, sampleRate, seekSample / sampleRate);
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
    probe,
  };
}

/** The whole track, for whole-track features; shorter than `minSamples` → zero-padded and flagged. */
export async function decodeWhole(path: string, options: WholeTrackOptions = {}): Promise<DecodedAudio> {
  const { sampleRate = 22050, ffmpegPath = "ffmpeg", ffprobePath = "ffprobe", minSamples = WINDOW_SAMPLES } = options;
  const probe = await probeAudio(path, ffprobePath);
  await assertComplete(probe);
  const bytes = await runDecoder(path, ffmpegPath, ["-i", path, ...outputArgs(sampleRate)]);
  const samples = f32leSamples(bytes);
  const expected = Math.floor(probe.durationSeconds * sampleRate);
  if (durationIsReliable(probe) && samples.length < expected - durationSlack(expected, sampleRate)) {
    throw truncated(probe, samples.length, sampleRate, 0);
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
    probe,
  };
}
