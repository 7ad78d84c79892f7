// Summary statistics of a track's cached log-mel excerpt, as bliss-rs, AudioMuse-AI and Essentia summarise a track:
// MFCCs and their deltas (mean and spread over frames), per-band contrast of the mel spectrum, spectral flatness,
// onset (spectral flux) statistics. Computed from the cache (log(1 + c·mel power)), so no second decode.
// Measured against other summaries in docs/experiments/2026-12-07-audio-features.md.
import { LOG_MEL_DEFAULTS } from "./logmel.js";
import { mfcc, powerToDb } from "./mfcc.js";

/** Mel-band groups of the contrast features (128 bands; the low octaves get narrower groups, as in librosa's octaves). */
export const CONTRAST_BANDS: readonly (readonly [number, number])[] = [
  [0, 8],
  [8, 16],
  [16, 32],
  [32, 48],
  [48, 64],
  [64, 96],
  [96, 128],
];

export const TIMBRE_DEFAULTS = { nMfcc: 20, deltaWidth: 9, contrastQuantile: 0.2 } as const;

/** Names of the statistics, in the order `timbreStatistics` returns them. */
export function timbreStatisticNames(nMfcc: number = TIMBRE_DEFAULTS.nMfcc): string[] {
  const block = (prefix: string, n: number) => ["mean", "sd"].flatMap((s) => Array.from({ length: n }, (_, i) => `${prefix}${i} ${s}`));
  return [
    ...block("mfcc", nMfcc),
    ...block("delta", nMfcc),
    ...["mean", "sd"].flatMap((s) => CONTRAST_BANDS.flatMap((_, b) => [`contrast${b} ${s}`, `valley${b} ${s}`])),
    "flatness mean",
    "flatness sd",
    "flux mean",
    "flux sd",
  ];
}

/**
 * librosa.feature.delta(data, width, order=1, axis=0) on time-major rows: the Savitzky–Golay first derivative
 * (polyorder 1, mode "interp"): the least-squares slope over `width` frames centred on each frame, and at the edges
 * the slope of the line fitted to the first (last) `width` frames.
 *
 * Parameters: data (frames × cols, time-major), cols, width (odd, ≥ 3, ≤ frames).
 * Returns: the deltas, same shape.
 * Example: delta(Float32Array.of(0, 1, 2, 3, 4), 1, 3) → [1, 1, 1, 1, 1].
 */
export function delta(data: Float32Array, cols: number, width: number = TIMBRE_DEFAULTS.deltaWidth): Float32Array {
  const frames = data.length / cols;
  if (width < 3 || width % 2 === 0) throw new RangeError(`delta width must be odd and at least 3, got ${width}`);
  if (frames < width) throw new RangeError(`delta needs at least ${width} frames, got ${frames}`);
  const half = (width - 1) / 2;
  let denominator = 0;
  for (let k = -half; k <= half; k++) denominator += k * k;
  const slope = (centre: number, c: number) => {
    let s = 0;
    for (let k = -half; k <= half; k++) s += k * data[(centre + k) * cols + c]!;
    return s / denominator;
  };
  const out = new Float32Array(data.length);
  for (let t = 0; t < frames; t++) {
    // Edge frames take the slope of the first (last) full window: a line's derivative is the same all along it.
    const centre = Math.min(Math.max(t, half), frames - 1 - half);
    for (let c = 0; c < cols; c++) out[t * cols + c] = slope(centre, c);
  }
  return out;
}

/** Per column, the mean and the (population) standard deviation over rows: [means…, sds…]. */
export function meanAndSpread(data: Float32Array, cols: number): Float32Array {
  const rows = data.length / cols;
  const out = new Float32Array(2 * cols);
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let t = 0; t < rows; t++) s += data[t * cols + c]!;
    const m = s / rows;
    let v = 0;
    for (let t = 0; t < rows; t++) v += (data[t * cols + c]! - m) ** 2;
    out[c] = m;
    out[cols + c] = Math.sqrt(v / rows);
  }
  return out;
}

/**
 * Per frame and band group: peak minus valley (mean of the top and bottom `quantile` of the group's bands, in dB)
 * and the valley itself, as librosa's spectral_contrast does per octave, on the mel bands.
 *
 * Parameters: db (frames × nMels dB, time-major), nMels, quantile.
 * Returns: frames × (2 · groups), [contrast, valley] per group.
 */
export function melContrast(db: Float32Array, nMels: number, quantile: number = TIMBRE_DEFAULTS.contrastQuantile): Float32Array {
  if (nMels !== 128) throw new RangeError(`mel contrast is defined on 128 mel bands, got ${nMels}`);
  const frames = db.length / nMels;
  const cols = 2 * CONTRAST_BANDS.length;
  const out = new Float32Array(frames * cols);
  for (let t = 0; t < frames; t++) {
    CONTRAST_BANDS.forEach(([lo, hi], b) => {
      const sorted = Float64Array.from(db.subarray(t * nMels + lo, t * nMels + hi)).sort();
      const q = Math.max(1, Math.round(quantile * (hi - lo)));
      let valley = 0;
      let peak = 0;
      for (let i = 0; i < q; i++) {
        valley += sorted[i]!;
        peak += sorted[sorted.length - 1 - i]!;
      }
      out[t * cols + 2 * b] = (peak - valley) / q;
      out[t * cols + 2 * b + 1] = valley / q;
    });
  }
  return out;
}

/**
 * librosa.feature.spectral_flatness(S=sqrt(mel power), power=2, amin=1e-10) per frame: the geometric over the
 * arithmetic mean of the (floored) mel power.
 */
export function melFlatness(power: Float32Array, nMels: number, amin = 1e-10): Float32Array {
  const frames = power.length / nMels;
  const out = new Float32Array(frames);
  for (let t = 0; t < frames; t++) {
    let logSum = 0;
    let sum = 0;
    for (let m = 0; m < nMels; m++) {
      const p = Math.max(amin, power[t * nMels + m]!);
      logSum += Math.log(p);
      sum += p;
    }
    out[t] = Math.exp(logSum / nMels) / (sum / nMels);
  }
  return out;
}

/** Spectral flux per frame transition: the mean over bands of the rise in dB (negative changes count 0). */
export function melFlux(db: Float32Array, nMels: number): Float32Array {
  const frames = db.length / nMels;
  const out = new Float32Array(Math.max(0, frames - 1));
  for (let t = 1; t < frames; t++) {
    let s = 0;
    for (let m = 0; m < nMels; m++) s += Math.max(0, db[t * nMels + m]! - db[(t - 1) * nMels + m]!);
    out[t - 1] = s / nMels;
  }
  return out;
}

/**
 * A track's timbre statistics from its cached log-mel (log(1 + logScale · mel power), time-major).
 *
 * Parameters: logMel, nMels (128), nMfcc (20).
 * Returns: 4·nMfcc + 4·groups + 4 values, named by `timbreStatisticNames`: MFCC mean and sd, MFCC-delta mean and sd,
 * mel contrast and valley mean and sd, flatness mean and sd, flux mean and sd.
 * Example: timbreStatistics(cached.data).length → 112 for the defaults.
 */
export function timbreStatistics(logMel: Float32Array, nMels: number = LOG_MEL_DEFAULTS.nMels, nMfcc: number = TIMBRE_DEFAULTS.nMfcc): Float32Array {
  const power = Float32Array.from(logMel, (v) => Math.expm1(v) / LOG_MEL_DEFAULTS.logScale);
  const frames = power.length / nMels;
  const m = mfcc({ data: power, nFrames: frames, nMels }, nMfcc);
  // The same floor as the MFCCs (80 dB below the excerpt's peak), so silence does not dominate contrast and flux.
  const db = powerToDb(power);
  const flatness = melFlatness(power, nMels);
  const flux = melFlux(db, nMels);
  return Float32Array.from([
    ...meanAndSpread(m.data, nMfcc),
    ...meanAndSpread(delta(m.data, nMfcc), nMfcc),
    ...meanAndSpread(melContrast(db, nMels), 2 * CONTRAST_BANDS.length),
    ...meanAndSpread(flatness, 1),
    ...meanAndSpread(flux, 1),
  ]);
}

