// Robust location and spread. An artist's or album's catalogue holds the very outliers we look for (a jingle, a
// remix), and a mean or standard deviation would be dragged towards them; medians and MADs are not.

/** MAD × this estimates the standard deviation of normally distributed values. */
export const MAD_TO_SD = 1.4826;

/** Median of finite values; NaN when there are none. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(Array.prototype.filter.call(values, Number.isFinite) as number[]).sort();
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

/** Median absolute deviation from the median (unscaled); NaN when there are no finite values. */
export function mad(values: ArrayLike<number>): number {
  const m = median(values);
  return median(Float64Array.from(values, (v) => Math.abs(v - m)));
}

/** Mean of the values left after dropping `fraction` of them at each end (0.2 drops the lowest and highest 20%). */
export function trimmedMean(values: ArrayLike<number>, fraction: number): number {
  if (!(fraction >= 0 && fraction < 0.5)) throw new RangeError(`trimmedMean: fraction ${fraction} is outside [0, 0.5)`);
  const sorted = Float64Array.from(values).sort();
  const cut = Math.floor(sorted.length * fraction);
  const kept = sorted.subarray(cut, sorted.length - cut);
  if (kept.length === 0) return NaN;
  let s = 0;
  for (const v of kept) s += v;
  return s / kept.length;
}

/** Per-column median of the given rows of a row-major n × d matrix: a centroid no single row can pull away. */
export function medianCentroid(matrix: Float32Array, d: number, rows: readonly number[]): Float64Array {
  const out = new Float64Array(d);
  const column = new Float64Array(rows.length);
  for (let j = 0; j < d; j++) {
    rows.forEach((r, i) => (column[i] = matrix[r * d + j]!));
    out[j] = median(column);
  }
  return out;
}

function distance(matrix: Float32Array, d: number, row: number, centre: Float64Array): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += (matrix[row * d + j]! - centre[j]!) ** 2;
  return Math.sqrt(s);
}

export const MAX_DEVIATION = 20;

/** Fewer peers than this give no usable spread, so the deviation is unknown (NaN). */
export const MIN_PEERS = 3;

/**
 * How far row `row` lies from its group, in robust deviations: the group's other rows (leave-one-out, so the row
 * cannot hide its own oddness) give a median centroid; the row's distance to it is compared with the peers'
 * distances to the same centroid as (distance − median) / (1.4826 · MAD). About 0 for a typical member, 3 or more
 * for one far outside the group's spread. NaN with fewer than MIN_PEERS peers.
 */
export function robustDeviation(matrix: Float32Array, d: number, row: number, group: readonly number[]): number {
  const peers = group.filter((r) => r !== row);
  if (peers.length < MIN_PEERS) return NaN;
  const centre = medianCentroid(matrix, d, peers);
  const peerDistances = Float64Array.from(peers, (r) => distance(matrix, d, r, centre));
  const spread = MAD_TO_SD * mad(peerDistances);
  const own = distance(matrix, d, row, centre);
  // Peers at one common distance have no spread: any row off that distance would be infinitely far, so the
  // deviation is capped to keep one degenerate group from outweighing every other signal.
  const deviation = (own - median(peerDistances)) / Math.max(spread, 1e-12);
  return Math.max(-MAX_DEVIATION, Math.min(MAX_DEVIATION, deviation));
}
