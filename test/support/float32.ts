// Comparing float32 results of one computation done two ways (batched and single, TensorFlow and a float64 loop).
import assert from "node:assert/strict";

/** float32's machine epsilon, 2^-23: one unit in the last place (ULP) at magnitude 1. */
export const FLOAT32_EPSILON = 2 ** -23;

export interface Float32Tolerance {
  /** Allowed difference in units in the last place of `scale`. */
  ulps: number;
  /** The magnitude the ULPs are counted at; default the largest |expected|. */
  scale?: number;
  /** Names the compared values in a failure. */
  what: string;
}

/**
 * Asserts that `actual` and `expected` agree within `ulps` ULPs of their scale. GEMMs and convolutions of other
 * shapes or batch sizes sum in other orders, and oneDNN picks its kernels by CPU (AVX-512, AVX2, SSE4.1), so a
 * difference of a few ULPs at the largest magnitude is float32 rounding, not a bug; an absolute bound is not.
 *
 * Returns the largest difference in ULPs of the scale.
 *
 * Example: `assertFloat32Close(batched, single, { ulps: 64, what: "hidden units" })`.
 */
export function assertFloat32Close(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Float32Tolerance): number {
  const { ulps, what } = tolerance;
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} vs ${expected.length}`);
  let scale = tolerance.scale ?? 0;
  if (tolerance.scale === undefined) for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  const ulp = FLOAT32_EPSILON * Math.max(scale, Number.MIN_VALUE);
  let worst = 0;
  let worstAt = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i]! - expected[i]!);
    if (!(diff <= worst)) [worst, worstAt] = [diff, i];
  }
  const inUlps = worst / ulp;
  assert.ok(
    inUlps <= ulps,
    `${what}[${worstAt}]: ${actual[worstAt]} vs ${expected[worstAt]}, ${inUlps.toFixed(1)} ULPs of ${scale} (allowed ${ulps})`,
  );
  return inUlps;
}
