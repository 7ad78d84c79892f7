// Row access and geometry on row-major Float32Array factor matrices (d values per row).

export function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[aOffset + j]! * b[bOffset + j]!;
  return s;
}

export type Interpolation = "slerp" | "lerp";

// Below this angle sin(Ω) loses precision and the two formulas agree anyway.
const SLERP_MIN_ANGLE = 1e-4;

/**
 * The point at fraction t ∈ [0, 1] from unit vector a to unit vector b, renormalised to unit length so it can
 * query an inner-product index. Slerp moves at constant angular speed along the great circle; for (near)
 * opposite vectors the great circle is not unique and lerp passes through zero, so the midpoint there is
 * undefined and this throws.
 */
export function interpolate(a: Float32Array, b: Float32Array, t: number, mode: Interpolation = "slerp"): Float32Array {
  if (a.length !== b.length) throw new RangeError(`interpolate: dimensions ${a.length} and ${b.length} differ`);
  if (!(t >= 0 && t <= 1)) throw new RangeError(`interpolate: t = ${t} is outside [0, 1]`);
  const out = new Float32Array(a.length);
  const cos = Math.max(-1, Math.min(1, dot(a, 0, b, 0, a.length)));
  const angle = Math.acos(cos);
  let wa = 1 - t;
  let wb = t;
  if (mode === "slerp" && angle > SLERP_MIN_ANGLE) {
    const sin = Math.sin(angle);
    wa = Math.sin((1 - t) * angle) / sin;
    wb = Math.sin(t * angle) / sin;
  }
  for (let j = 0; j < a.length; j++) out[j] = wa * a[j]! + wb * b[j]!;
  const norm = Math.sqrt(dot(out, 0, out, 0, out.length));
  if (!(norm > 1e-6)) throw new RangeError("interpolate: the endpoints are opposite, so the path between them is undefined");
  for (let j = 0; j < out.length; j++) out[j] = out[j]! / norm;
  return out;
}

/** Median of the strictly positive values (zero norms are tracks without factors); NaN when there are none. */
export function medianOfPositive(values: Float32Array): number {
  const positive = Float64Array.from(values.filter((v) => v > 0)).sort();
  const n = positive.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? positive[(n - 1) / 2]! : (positive[n / 2 - 1]! + positive[n / 2]!) / 2;
}
