import { choleskySolve } from "../util/cholesky.js";
/**
 * Multi-output ridge regression in closed form: W = argmin ‖Xc·W − Yc‖² + λ‖W‖² on centred X and Y, so the
 * intercept is not penalised. With fewer rows than features (a few dozen tracks, hundreds of histogram bins) the
 * dual form W = Xcᵀ(Xc·Xcᵀ + λI)⁻¹Yc solves an n × n system instead of a d × d one; both give the same W.
 */
export interface RidgeModel {
  inputs: number;
  outputs: number;
  /** inputs × outputs, row-major. */
  weights: Float64Array;
  inputMean: Float64Array;
  outputMean: Float64Array;
}

/** `x` is n × d, `y` is n × k, both row-major. */
export function fitRidge(x: Float32Array, y: Float32Array, n: number, d: number, k: number, lambda: number): RidgeModel {
  if (x.length !== n * d || y.length !== n * k) throw new RangeError(`ridge: ${x.length} inputs and ${y.length} outputs for ${n} rows × ${d} → ${k}`);
  if (!(lambda > 0)) throw new RangeError(`ridge: λ must be > 0, got ${lambda}`);
  const inputMean = columnMeans(x, n, d);
  const outputMean = columnMeans(y, n, k);
  const xc = Float64Array.from(x, (v, i) => v - inputMean[i % d]!);
  const yc = Float64Array.from(y, (v, i) => v - outputMean[i % k]!);
  const weights = new Float64Array(d * k);
  if (n < d) {
    const gram = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) gram[i * n + j] = gram[j * n + i] = dot(xc, i * d, xc, j * d, d) + (i === j ? lambda : 0);
    const dual = choleskySolve(gram, n, yc, k);
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) for (let c = 0; c < k; c++) weights[a * k + c]! += xc[i * d + a]! * dual[i * k + c]!;
  } else {
    const gram = new Float64Array(d * d);
    const rhs = new Float64Array(d * k);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) {
        const v = xc[i * d + a]!;
        for (let b = 0; b <= a; b++) gram[a * d + b]! += v * xc[i * d + b]!;
        for (let c = 0; c < k; c++) rhs[a * k + c]! += v * yc[i * k + c]!;
      }
    }
    for (let a = 0; a < d; a++) {
      gram[a * d + a]! += lambda;
      for (let b = 0; b < a; b++) gram[b * d + a] = gram[a * d + b]!;
    }
    weights.set(choleskySolve(gram, d, rhs, k));
  }
  return { inputs: d, outputs: k, weights, inputMean, outputMean };
}

/** Predictions for the m × d rows of `x`: m × k. */
export function predictRidge(model: RidgeModel, x: Float32Array): Float32Array {
  const { inputs: d, outputs: k, weights, inputMean, outputMean } = model;
  if (x.length % d !== 0) throw new RangeError(`ridge: ${x.length} values are not rows of ${d}`);
  const m = x.length / d;
  const out = new Float32Array(m * k);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < k; c++) {
      let s = outputMean[c]!;
      for (let a = 0; a < d; a++) s += (x[i * d + a]! - inputMean[a]!) * weights[a * k + c]!;
      out[i * k + c] = s;
    }
  }
  return out;
}

function columnMeans(m: Float32Array, rows: number, cols: number): Float64Array {
  const mean = new Float64Array(cols);
  for (let i = 0; i < m.length; i++) mean[i % cols]! += m[i]! / rows;
  return mean;
}

function dot(a: Float64Array, offsetA: number, b: Float64Array, offsetB: number, length: number): number {
  let s = 0;
  for (let i = 0; i < length; i++) s += a[offsetA + i]! * b[offsetB + i]!;
  return s;
}
