// Metadata oracles for the cold-start evaluation: what a content model could reach at best when listens follow
// catalogue metadata (album, style) that the audio can only hint at.

export interface GroupMeans {
  /** queryKeys.length × dims, row-major. */
  rows: Float32Array;
  /** Queries whose key no reference row shares (or whose key is null): they got the mean of every reference row. */
  fellBack: number;
}

/**
 * Each query's row is the mean of the reference rows with its key. A query with a null key, or a key no reference
 * row has, gets the mean of all reference rows: the best guess that knows nothing of the query.
 */
export function groupMeans(
  referenceKeys: readonly (string | number | null)[],
  referenceRows: Float32Array,
  queryKeys: readonly (string | number | null)[],
  dims: number,
): GroupMeans {
  if (referenceRows.length !== referenceKeys.length * dims) {
    throw new RangeError(`${referenceKeys.length} reference keys need ${referenceKeys.length * dims} values, got ${referenceRows.length}`);
  }
  if (referenceKeys.length === 0) throw new RangeError("group means need at least one reference row");
  const sums = new Map<string | number | null, { sum: Float64Array; count: number }>();
  const all = new Float64Array(dims);
  referenceKeys.forEach((key, r) => {
    const group = sums.get(key) ?? sums.set(key, { sum: new Float64Array(dims), count: 0 }).get(key)!;
    group.count++;
    for (let d = 0; d < dims; d++) {
      const v = referenceRows[r * dims + d]!;
      group.sum[d]! += v;
      all[d]! += v;
    }
  });
  const rows = new Float32Array(queryKeys.length * dims);
  let fellBack = 0;
  queryKeys.forEach((key, q) => {
    const group = key === null ? undefined : sums.get(key);
    if (!group) fellBack++;
    const { sum, count } = group ?? { sum: all, count: referenceKeys.length };
    for (let d = 0; d < dims; d++) rows[q * dims + d] = sum[d]! / count;
  });
  return { rows, fellBack };
}
