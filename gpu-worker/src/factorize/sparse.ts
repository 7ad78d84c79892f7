/**
 * Compressed sparse rows from COO triplets (play counts), built once per fit.
 *
 * Arrays live on SharedArrayBuffer so the ALS worker threads read them without a copy. Column indices are
 * sorted inside each row, so the CSR and its transpose (the CSC, stored as CSR of the transpose) are both
 * deterministic whatever the order of the triplets.
 */

/** A row-compressed matrix: row r owns `indices`/`data` in `[indptr[r], indptr[r + 1])`, columns ascending. */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float32Array;
}

export interface SparseInteractions {
  /** users × items. */
  readonly csr: CsrMatrix;
  /** items × users (the transpose), same values. */
  readonly csc: CsrMatrix;
  /** Triplets that repeated an earlier (row, col) pair and were summed into it. */
  readonly duplicates: number;
  /** (row, col) pairs whose summed value was 0: dropped, since a zero count is "no interaction". */
  readonly zeros: number;
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(1, length) * 4), 0, length);
}

export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(Math.max(1, length) * 4), 0, length);
}

export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(1, length) * 8), 0, length);
}

/**
 * Checks every triplet; the error names the triplet index and the reason.
 * Counts must be finite and ≥ 0, ids integers in range.
 */
export function validateTriplets(
  rows: Int32Array,
  cols: Int32Array,
  values: Float32Array,
  nRows: number,
  nCols: number,
): void {
  if (rows.length !== cols.length || rows.length !== values.length) {
    throw new RangeError(
      `COO arrays differ in length: rows ${rows.length}, cols ${cols.length}, values ${values.length}`,
    );
  }
  if (!Number.isInteger(nRows) || nRows < 0 || !Number.isInteger(nCols) || nCols < 0) {
    throw new RangeError(`matrix shape must be non-negative integers, got ${nRows} × ${nCols}`);
  }
  for (let j = 0; j < rows.length; j++) {
    const r = rows[j]!;
    const c = cols[j]!;
    const v = values[j]!;
    if (r < 0 || r >= nRows) throw new RangeError(`triplet ${j}: user id ${r} outside [0, ${nRows})`);
    if (c < 0 || c >= nCols) throw new RangeError(`triplet ${j}: item id ${c} outside [0, ${nCols})`);
    if (!Number.isFinite(v)) throw new RangeError(`triplet ${j} (user ${r}, item ${c}): play count ${v} is not finite`);
    if (v < 0) throw new RangeError(`triplet ${j} (user ${r}, item ${c}): play count ${v} is negative`);
  }
}

/** Stable counting sort of entries into rows of the transpose; columns of the result come out ascending. */
function transpose(m: CsrMatrix): CsrMatrix {
  const nnz = m.indptr[m.rows]!;
  const indptr = sharedInt32(m.cols + 1);
  for (let j = 0; j < nnz; j++) indptr[m.indices[j]! + 1]!++;
  for (let c = 0; c < m.cols; c++) indptr[c + 1]! += indptr[c]!;
  const next = indptr.slice(0, m.cols);
  const indices = sharedInt32(nnz);
  const data = sharedFloat32(nnz);
  for (let r = 0; r < m.rows; r++) {
    for (let j = m.indptr[r]!; j < m.indptr[r + 1]!; j++) {
      const dst = next[m.indices[j]!]!++;
      indices[dst] = r;
      data[dst] = m.data[j]!;
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, data };
}

/**
 * Builds the users × items CSR and its CSC from COO triplets (user ids, item ids, play counts).
 * Repeated (user, item) pairs are summed in float64 before rounding to float32; pairs summing to 0 are dropped.
 * Linear time: two counting-sort passes order the triplets by (row, col) without comparisons.
 */
export function buildInteractions(
  rows: Int32Array,
  cols: Int32Array,
  values: Float32Array,
  nRows: number,
  nCols: number,
): SparseInteractions {
  validateTriplets(rows, cols, values, nRows, nCols);
  const n = rows.length;
  // Bucket by column first, then re-bucket by row: the second stable pass leaves columns sorted in each row.
  const byCol: CsrMatrix = (() => {
    const indptr = sharedInt32(nCols + 1);
    for (let j = 0; j < n; j++) indptr[cols[j]! + 1]!++;
    for (let c = 0; c < nCols; c++) indptr[c + 1]! += indptr[c]!;
    const next = indptr.slice(0, nCols);
    const indices = new Int32Array(n);
    const data = new Float32Array(n);
    for (let j = 0; j < n; j++) {
      const dst = next[cols[j]!]!++;
      indices[dst] = rows[j]!;
      data[dst] = values[j]!;
    }
    return { rows: nCols, cols: nRows, indptr, indices, data };
  })();
  const sorted = transpose(byCol);

  const indptr = sharedInt32(nRows + 1);
  let duplicates = 0;
  let zeros = 0;
  let out = 0;
  const keepCols = new Int32Array(n);
  const keepVals = new Float64Array(n);
  for (let r = 0; r < nRows; r++) {
    const end = sorted.indptr[r + 1]!;
    let j = sorted.indptr[r]!;
    while (j < end) {
      const c = sorted.indices[j]!;
      let sum = 0;
      let k = j;
      for (; k < end && sorted.indices[k] === c; k++) sum += sorted.data[k]!;
      duplicates += k - j - 1;
      if (sum > 0) {
        keepCols[out] = c;
        keepVals[out] = sum;
        out++;
      } else {
        zeros++;
      }
      j = k;
    }
    indptr[r + 1] = out;
  }
  const indices = sharedInt32(out);
  const data = sharedFloat32(out);
  indices.set(keepCols.subarray(0, out));
  for (let j = 0; j < out; j++) data[j] = keepVals[j]!;
  const csr: CsrMatrix = { rows: nRows, cols: nCols, indptr, indices, data };
  return { csr, csc: transpose(csr), duplicates, zeros };
}
