// Geometry on unit-length rows (row-major, d values per row): cosine neighbours in one space and their agreement
// across two spaces.

export function cosine(a: Float32Array, aRow: number, b: Float32Array, bRow: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[aRow * d + j]! * b[bRow * d + j]!;
  return s;
}

/** Rows among `candidates` (row itself left out) with the k highest cosines to `row`, best first; ties by row. */
export function nearestRows(unit: Float32Array, d: number, row: number, candidates: readonly number[], k: number): number[] {
  return candidates
    .filter((r) => r !== row)
    .map((r) => ({ r, c: cosine(unit, row, unit, r, d) }))
    .sort((x, y) => y.c - x.c || x.r - y.r)
    .slice(0, k)
    .map((x) => x.r);
}

/**
 * Share of a track's k nearest neighbours that two spaces agree on: |top-k in A ∩ top-k in B| / k. Rows of `a`
 * and `b` are the same n items in the same order. A track that listeners put beside songs it does not sound like
 * (an intro played with its album) has low agreement between CF and audio. NaN with fewer than two items.
 */
export function neighbourAgreement(a: Float32Array, aDims: number, b: Float32Array, bDims: number, item: number, k: number): number {
  const n = a.length / aDims;
  if (b.length / bDims !== n) throw new RangeError(`neighbourAgreement: ${n} and ${b.length / bDims} items`);
  const kk = Math.min(k, n - 1);
  if (kk < 1) return NaN;
  const all = Array.from({ length: n }, (_, i) => i);
  const inA = new Set(nearestRows(a, aDims, item, all, kk));
  let shared = 0;
  for (const i of nearestRows(b, bDims, item, all, kk)) if (inA.has(i)) shared++;
  return shared / kk;
}

export interface NearDuplicate {
  /** Highest cosine to an earlier-catalogued track; -1 when there is none. */
  cosine: number;
  /** That track's index, or -1. */
  partner: number;
}

/**
 * The most similar earlier track (lower catalogue order) among those `eligible` allows. Only earlier tracks
 * count because a cover or remix is released after its original: the pair is equally similar both ways, and
 * the order is what tells the derivative from the source.
 */
export function nearestEarlier(
  unit: Float32Array,
  d: number,
  item: number,
  order: ArrayLike<number>,
  eligible: (other: number) => boolean,
): NearDuplicate {
  let best: NearDuplicate = { cosine: -1, partner: -1 };
  for (let other = 0; other < order.length; other++) {
    if (other === item || order[other]! >= order[item]! || !eligible(other)) continue;
    const c = cosine(unit, item, unit, other, d);
    if (c > best.cosine) best = { cosine: c, partner: other };
  }
  return best;
}
