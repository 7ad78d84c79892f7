import { normalizeRows } from "@curator/db/factor-sets.js";
import { Rng } from "@curator/worker/util/random.js";

/** n points uniform on the unit sphere in d dimensions, reproducible from the seed (tests and benchmarks). */
export function randomUnitVectors(n: number, d: number, seed: number): Float32Array {
  // Isotropic Gaussian coordinates, so normalized rows are uniform on the sphere; a Gaussian row is never all zeros.
  const rng = new Rng(seed);
  const vectors = Float32Array.from({ length: n * d }, () => rng.gaussian());
  normalizeRows(vectors, n, d);
  return vectors;
}
