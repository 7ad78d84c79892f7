import { applyMelFilterbankFrame, melFilterbank, type MelFilterbank } from "./mel.js";
import { forEachPowerFrame, frameCount, hannWindow } from "./stft.js";

/** Every parameter of the log-mel front end; the defaults are the convnet's (Dieleman 2014). */
export interface LogMelParams {
  sampleRate: number;
  nFft: number;
  hopLength: number;
  nMels: number;
  fmin: number;
  fmax: number;
  /** c in log(1 + c·x): compresses the dynamic range while staying finite at silence. */
  logScale: number;
}

export const LOG_MEL_DEFAULTS: Readonly<LogMelParams> = Object.freeze({
  sampleRate: 22050,
  nFft: 2048,
  hopLength: 1024,
  nMels: 128,
  fmin: 0,
  fmax: 11025,
  logScale: 10000,
});

/** Frames per convnet input and the samples that yield exactly that many (598 hops + one FFT). */
export const WINDOW_FRAMES = 599;
export const WINDOW_SAMPLES = (WINDOW_FRAMES - 1) * LOG_MEL_DEFAULTS.hopLength + LOG_MEL_DEFAULTS.nFft;

/** Time-major mel frames (power or log): `data[frame * nMels + band]`. */
export interface MelFrames {
  data: Float32Array;
  nFrames: number;
  nMels: number;
}

/** log(1 + scale·x) in place, returning x. */
export function logCompress(x: Float32Array, scale = 10000): Float32Array {
  for (let i = 0; i < x.length; i++) x[i] = Math.log1p(scale * x[i]!);
  return x;
}

// Building a filterbank costs a full pass over nMels × nBins; spectrograms with the same parameters share one.
const filterbanks = new Map<string, MelFilterbank>();
const windows = new Map<number, Float64Array>();

/**
 * Power mel spectrogram, as `librosa.feature.melspectrogram(y, sr, n_fft, hop_length, center=False, power=2,
 * n_mels, fmin, fmax)` transposed to time-major.
 */
export function melSpectrogram(y: Float32Array, params: LogMelParams = LOG_MEL_DEFAULTS): MelFrames {
  const { sampleRate, nFft, hopLength, nMels, fmin, fmax } = params;
  const key = `${sampleRate}/${nFft}/${nMels}/${fmin}/${fmax}`;
  const filterbank = filterbanks.get(key) ?? melFilterbank({ sampleRate, nFft, nMels, fmin, fmax, htk: false, norm: "slaney" });
  filterbanks.set(key, filterbank);
  const window = windows.get(nFft) ?? hannWindow(nFft, true);
  windows.set(nFft, window);
  const data = new Float32Array(frameCount(y.length, nFft, hopLength) * nMels);
  const nFrames = forEachPowerFrame(y, { nFft, hopLength, window }, (power, frame) => applyMelFilterbankFrame(power, filterbank, data, frame * nMels));
  return { data, nFrames, nMels };
}

/** log(1 + logScale · mel power): the convnet's input, 599 × 128 for a 614,400-sample excerpt. */
export function logMelSpectrogram(y: Float32Array, params: LogMelParams = LOG_MEL_DEFAULTS): MelFrames {
  const mel = melSpectrogram(y, params);
  logCompress(mel.data, params.logScale);
  return mel;
}

/**
 * Whole-track mode: consecutive, non-overlapping windows of `windowFrames` frames, each computed from its own
 * slice of samples so memory stays one window's worth however long the track. A tail shorter than a window is
 * dropped; a track shorter than one window yields none (decode pads short tracks to one window).
 */
export function logMelWindows(
  y: Float32Array,
  params: LogMelParams = LOG_MEL_DEFAULTS,
  windowFrames = WINDOW_FRAMES,
): MelFrames[] {
  const windowCount = Math.floor(frameCount(y.length, params.nFft, params.hopLength) / windowFrames);
  const samplesPerWindow = (windowFrames - 1) * params.hopLength + params.nFft;
  const out: MelFrames[] = [];
  for (let w = 0; w < windowCount; w++) {
    const begin = w * windowFrames * params.hopLength;
    out.push(logMelSpectrogram(y.subarray(begin, begin + samplesPerWindow), params));
  }
  return out;
}
