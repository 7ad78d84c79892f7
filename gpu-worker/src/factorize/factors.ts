/** Factor-matrix utilities: seeded initialisation, memory estimate (unit rows: @curator/db/factor-sets.ts). */
import { Rng } from "../util/random.js";
/**
 * rows × factors uniform values in [0, scale), row-major, from a 32-bit seeded generator
 * (mulberry32) so a fit is reproducible across machines and thread counts. Scale default 0.01 as in
 * benfred/implicit: small positive starts keep the first Gram matrix well conditioned.
 */
export function randomFactors(rows: number, factors: number, seed: number, scale = 0.01): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: rows * factors }, () => rng.next() * scale);
}

export interface MemoryEstimate {
  /** COO input (int32 user, int32 item, float32 count): 12 bytes per triplet. */
  readonly tripletBytes: number;
  /**
   * CSR + CSC of counts (int32 index + float32 count) and fitAls's copies of indices with float32 confidences
   * in the SIMD kernels' shared memory, plus both indptrs. Building peaks ~28 bytes per triplet higher for a
   * moment (sort buffers).
   */
  readonly sparseBytes: number;
  /** float32 user and item factors. */
  readonly factorBytes: number;
  /** Everything held during a fit, per stored nonzero. */
  readonly bytesPerNonzero: number;
}

/** Bytes a fit holds, from the shapes alone (per-thread scratch, O(factors²), is ignored). */
export function estimateMemory(users: number, items: number, nonzeros: number, factors: number): MemoryEstimate {
  const tripletBytes = 12 * nonzeros;
  const sparseBytes = 2 * 2 * (4 + 4) * nonzeros + 2 * 4 * (users + 1 + items + 1);
  const factorBytes = 4 * factors * (users + items);
  return {
    tripletBytes,
    sparseBytes,
    factorBytes,
    bytesPerNonzero: (tripletBytes + sparseBytes + factorBytes) / Math.max(1, nonzeros),
  };
}
