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
  // mulberry32: tiny, fast, and good enough to stand in for embeddings.
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const out = new Float32Array(n * d);
  // Box–Muller: isotropic Gaussian coordinates, so normalized rows are uniform on the sphere.
  for (let i = 0; i < out.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const theta = 2 * Math.PI * uniform();
    out[i] = r * Math.cos(theta);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(theta);
  }
  return normalizeRows(out, d);
}
