import { Rng } from "@curator/worker/util/random.js";
// Rows of a row-major Float32Array scaled to unit length, so that inner-product search ranks by cosine.

export function normalizeRows(vectors: Float32Array, d: number): Float32Array {
  if (vectors.length % d !== 0) {
    throw new RangeError(`normalizeRows: length ${vectors.length} is not a multiple of dimension ${d}`);
  }
  for (let off = 0; off < vectors.length; off += d) {
    let sq = 0;
    for (let j = off; j < off + d; j++) sq += vectors[j]! * vectors[j]!;
    if (sq === 0) throw new RangeError(`normalizeRows: row ${off / d} is all zeros and has no direction`);
    const inv = 1 / Math.sqrt(sq);
    for (let j = off; j < off + d; j++) vectors[j]! *= inv;
  }
  return vectors;
}

/** n points uniform on the unit sphere in d dimensions, reproducible from the seed (tests and benchmarks). */
export function randomUnitVectors(n: number, d: number, seed: number): Float32Array {
  // Isotropic Gaussian coordinates, so normalized rows are uniform on the sphere.
  const rng = new Rng(seed);
  return normalizeRows(Float32Array.from({ length: n * d }, () => rng.gaussian()), d);
}
