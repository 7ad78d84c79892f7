/**
 * Chromagram from the STFT, numerically as librosa 0.11 (`librosa.filters.chroma`, `librosa.feature.chroma_stft`
 * with `tuning=0`): energy folded onto the 12 pitch classes, which a transposition rotates and a change of timbre
 * barely moves, so cover-song matching (outliers) compares tracks on it instead of on the log-mel.
 */
import { LOG_MEL_DEFAULTS } from "./logmel.js";
import { forEachPowerFrame, frameCount, hannWindow } from "./stft.js";

export interface ChromaParams {
  sampleRate: number;
  nFft: number;
  hopLength: number;
  nChroma: number;
  /** Deviation from A440 in fractions of a chroma bin; fixed (librosa estimates it when None) so that a
   * transposed copy is a pure rotation of its source's chroma. */
  tuning: number;
  /** Centre (in octaves above C0 · 2^(tuning/nChroma)) and width of the Gaussian octave weighting. */
  ctroct: number;
  octwidth: number;
}

export const CHROMA_DEFAULTS: Readonly<ChromaParams> = Object.freeze({
  sampleRate: LOG_MEL_DEFAULTS.sampleRate,
  nFft: LOG_MEL_DEFAULTS.nFft,
  hopLength: LOG_MEL_DEFAULTS.hopLength,
  nChroma: 12,
  tuning: 0,
  ctroct: 5,
  octwidth: 2,
});

/** `weights[chroma * nBins + bin]`, as `librosa.filters.chroma(sr, n_fft, n_chroma, tuning, ctroct, octwidth, norm=2, base_c=True)`. */
export interface ChromaFilterbank {
  weights: Float64Array;
  nChroma: number;
  nBins: number;
}

export function chromaFilterbank(params: ChromaParams = CHROMA_DEFAULTS): ChromaFilterbank {
  const { sampleRate, nFft, nChroma, tuning, ctroct, octwidth } = params;
  const nBins = Math.floor(nFft / 2) + 1;
  const a440 = 440 * 2 ** (tuning / nChroma);
  // Bin positions in chroma steps above A440/16; the DC bin is put 1.5 octaves below bin 1, so it spreads broadly.
  const position = new Float64Array(nFft);
  for (let k = 1; k < nFft; k++) position[k] = nChroma * Math.log2((k * sampleRate) / nFft / (a440 / 16));
  position[0] = position[1]! - 1.5 * nChroma;
  const width = Float64Array.from(position, (p, k) => (k + 1 < nFft ? Math.max(position[k + 1]! - p, 1) : 1));
  const half = Math.round(nChroma / 2);
  const weights = new Float64Array(nChroma * nBins);
  // Only the first nBins columns survive librosa's final slice, and each column is normalised on its own.
  for (let k = 0; k < nBins; k++) {
    const column = new Float64Array(nChroma);
    let norm = 0;
    for (let c = 0; c < nChroma; c++) {
      const d = ((((position[k]! - c + half + 10 * nChroma) % nChroma) + nChroma) % nChroma) - half;
      column[c] = Math.exp(-0.5 * ((2 * d) / width[k]!) ** 2);
      norm += column[c]! ** 2;
    }
    norm = Math.sqrt(norm);
    const octave = Math.exp(-0.5 * ((position[k]! / nChroma - ctroct) / octwidth) ** 2);
    // base_c: librosa's rows start at A; rolling by -3 starts them at C.
    for (let c = 0; c < nChroma; c++) weights[(((c - 3 * Math.floor(nChroma / 12)) % nChroma + nChroma) % nChroma) * nBins + k] = (column[c]! / norm) * octave;
  }
  return { weights, nChroma, nBins };
}

/** Time-major chroma: `data[frame * nChroma + pitchClass]`, C first, each frame scaled to a maximum of 1. */
export interface ChromaFrames {
  data: Float32Array;
  nFrames: number;
  nChroma: number;
}

const filterbanks = new Map<string, ChromaFilterbank>();

/**
 * `librosa.feature.chroma_stft(y, sr, n_fft, hop_length, center=False, tuning, n_chroma)` transposed: the
 * filterbank applied to |STFT|², each frame divided by its largest value (an all-zero frame stays zero).
 */
export function chromaStft(y: Float32Array, params: ChromaParams = CHROMA_DEFAULTS): ChromaFrames {
  const key = JSON.stringify(params);
  const filterbank = filterbanks.get(key) ?? chromaFilterbank(params);
  filterbanks.set(key, filterbank);
  const { weights, nChroma, nBins } = filterbank;
  const data = new Float32Array(frameCount(y.length, params.nFft, params.hopLength) * nChroma);
  const nFrames = forEachPowerFrame(y, { nFft: params.nFft, hopLength: params.hopLength, window: hannWindow(params.nFft) }, (power, frame) => {
    let peak = 0;
    const sums = new Float64Array(nChroma);
    for (let c = 0; c < nChroma; c++) {
      let sum = 0;
      for (let bin = 0, w = c * nBins; bin < nBins; bin++) sum += weights[w + bin]! * power[bin]!;
      sums[c] = sum;
      peak = Math.max(peak, Math.abs(sum));
    }
    for (let c = 0; c < nChroma; c++) data[frame * nChroma + c] = peak > 0 ? sums[c]! / peak : 0;
  });
  return { data, nFrames, nChroma };
}
