import { meanAndSpread } from "../features/timbre-stats.js";
// A spectrogram embedding computed from the log-mel alone, for catalogues with no trained convnet yet: the mean
// and the standard deviation of every mel band over the excerpt (timbre and its movement), standardised across
// the catalogue and scaled to unit length so that cosine compares tracks and not loudness.

/** 2 · nMels values: per-band mean, then per-band standard deviation, of frames × nMels log-mel. */
export function logMelStatistics(logMel: Float32Array, nMels: number): Float32Array {
  if (nMels < 1 || logMel.length % nMels !== 0 || logMel.length === 0) throw new RangeError(`${logMel.length} values are not frames of ${nMels} bands`);
  return meanAndSpread(logMel, nMels);
}

/**
 * Rows (n × d, row-major) centred and scaled per column over all rows, then each row scaled to unit length, in a
 * new array. Without the centring every log-mel statistic is positive and any two tracks look alike (cosine ≈ 1).
 */
export function centredUnitRows(rows: Float32Array, d: number): Float32Array {
  const n = rows.length / d;
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += rows[i * d + j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sd[j]! += (rows[i * d + j]! - mean[j]!) ** 2 / n;
  const out = new Float32Array(rows.length);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const v = sd[j]! > 1e-12 ? (rows[i * d + j]! - mean[j]!) / Math.sqrt(sd[j]!) : 0;
      out[i * d + j] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < d; j++) out[i * d + j] = out[i * d + j]! / norm;
  }
  return out;
}
