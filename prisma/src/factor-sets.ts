/**
 * The factor-set contract, the one place that says what a stored factor set is; the worker's writers and readers,
 * the server's spaces and indexes and the map stage import it:
 * - a vector is little-endian float32 bytes: compact (4 bytes per dimension) and identical on SQLite BLOB and
 *   PostgreSQL bytea;
 * - each track row keeps its raw factors, its unit-length row and the raw L2 norm; a zero row (a CF set's track
 *   without training listens) stays zero with norm 0 and means "no factors": it is never indexed nor mapped;
 * - a predicted set's kind names the audio it was predicted from (the middle excerpt or the whole track).
 */
import type { FactorKind } from "./client.js";

export function vectorToBytes(v: Float32Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(v.length * 4);
  new Float32Array(out.buffer).set(v);
  return out;
}

export function bytesToVector(bytes: Uint8Array, expectedDims?: number): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error(`vector blob of ${bytes.byteLength} bytes is not whole float32s`);
  const copy = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(copy.buffer).set(bytes);
  if (expectedDims !== undefined && copy.length !== expectedDims) {
    throw new Error(`vector has ${copy.length} dimensions, expected ${expectedDims}`);
  }
  return copy;
}

/**
 * Scales each row to unit L2 norm in place (cosine similarity becomes a dot product, as the FAISS inner-product
 * index expects) and returns the original norms, which rank popularity-like "strength". Zero rows stay zero.
 */
export function normalizeRows(factors: Float32Array, rows: number, k: number): Float32Array {
  if (factors.length !== rows * k) throw new RangeError(`factor array has ${factors.length} values, expected ${rows} × ${k}`);
  const norms = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    let s = 0;
    for (let a = 0; a < k; a++) s += factors[base + a]! * factors[base + a]!;
    const norm = Math.sqrt(s);
    norms[r] = norm;
    if (norm > 0) for (let a = 0; a < k; a++) factors[base + a] = factors[base + a]! / norm;
  }
  return norms;
}

/** The rows of a set as its readers hold them: track ids in row order, unit rows and raw norms. */
export interface UnitRows {
  dims: number;
  trackIds: Int32Array;
  unit: Float32Array;
  norms: Float32Array;
}

/** How many rows have factors (non-zero): what the index and the map hold. */
export function countWithFactors(set: Pick<UnitRows, "norms">): number {
  let count = 0;
  for (const norm of set.norms) if (norm > 0) count++;
  return count;
}

/** The non-zero unit rows and their track ids: what goes into the index and onto the map. */
export function rowsWithFactors(set: UnitRows): { vectors: Float32Array; trackIds: number[] } {
  const rows: number[] = [];
  set.norms.forEach((norm, i) => {
    if (norm > 0) rows.push(i);
  });
  const vectors = new Float32Array(rows.length * set.dims);
  rows.forEach((r, j) => vectors.set(set.unit.subarray(r * set.dims, (r + 1) * set.dims), j * set.dims));
  return { vectors, trackIds: rows.map((r) => set.trackIds[r]!) };
}

export const FACTOR_KINDS: readonly FactorKind[] = ["CF", "PREDICTED_MIDDLE", "PREDICTED_WHOLE"];

/** The predicted set's kind for the audio it reads: the middle excerpt or the whole track (either spelling). */
export function predictedKind(mode: "middle" | "whole" | "MIDDLE" | "WHOLE"): FactorKind {
  return mode === "middle" || mode === "MIDDLE" ? "PREDICTED_MIDDLE" : "PREDICTED_WHOLE";
}
