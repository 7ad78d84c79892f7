import { choleskySolve } from "../../util/cholesky.js";
// L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least squares). The
// log-loss plus λ‖w‖² is strictly convex, so Newton from w = 0 reaches the one optimum in a few steps and the
// same data always give the same weights: no seed, no learning rate to tune.

export interface LogisticModel {
  /** One weight per feature. */
  weights: Float64Array;
  bias: number;
}

export interface LogisticOptions {
  /** λ of λ‖w‖² (the bias is not penalised). */
  l2: number;
  /** Newton steps at most. Default 50. */
  maxIterations?: number;
  /** Stop when no weight moves more than this. Default 1e-8. */
  tolerance?: number;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** P(y = 1 | x) for row `row` of a row-major n × d matrix. */
export function predictRow(model: LogisticModel, x: Float64Array, row: number): number {
  const d = model.weights.length;
  let z = model.bias;
  for (let j = 0; j < d; j++) z += model.weights[j]! * x[row * d + j]!;
  return sigmoid(z);
}

export function predictAll(model: LogisticModel, x: Float64Array): Float64Array {
  const n = x.length / model.weights.length;
  return Float64Array.from({ length: n }, (_, i) => predictRow(model, x, i));
}

/** Solves A z = b for symmetric positive definite A (m × m, row-major) by Cholesky; A and b are left intact. */
export function solveSpd(a: Float64Array, b: Float64Array, m: number): Float64Array {
  return choleskySolve(Float64Array.from(a), m, b, 1);
}

/**
 * Fits P(y = 1 | x) = σ(w·x + b) to n rows of x (row-major n × d) and 0/1 labels y. Features should be on
 * comparable scales (standardise first) so that one λ suits all of them.
 */
export function fitLogistic(x: Float64Array, y: Uint8Array, d: number, options: LogisticOptions): LogisticModel {
  const n = y.length;
  if (x.length !== n * d) throw new RangeError(`fitLogistic: ${x.length} values are not ${n} rows × ${d}`);
  if (!(options.l2 > 0)) throw new RangeError(`fitLogistic: l2 must be positive (it keeps separable data finite), got ${options.l2}`);
  const m = d + 1; // weights, then the bias
  const theta = new Float64Array(m);
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-8;
  const row = new Float64Array(m);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const gradient = new Float64Array(m);
    const hessian = new Float64Array(m * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) row[j] = x[i * d + j]!;
      row[d] = 1;
      let z = 0;
      for (let j = 0; j < m; j++) z += theta[j]! * row[j]!;
      const p = sigmoid(z);
      const w = Math.max(p * (1 - p), 1e-12);
      for (let j = 0; j < m; j++) {
        gradient[j]! += (p - y[i]!) * row[j]!;
        for (let k = 0; k <= j; k++) hessian[j * m + k]! += w * row[j]! * row[k]!;
      }
    }
    for (let j = 0; j < m; j++) for (let k = 0; k < j; k++) hessian[k * m + j] = hessian[j * m + k]!;
    for (let j = 0; j < d; j++) {
      gradient[j]! += 2 * options.l2 * theta[j]!;
      hessian[j * m + j]! += 2 * options.l2;
    }
    // The bias is unpenalised; a tiny ridge keeps the system solvable when every label is the same.
    hessian[d * m + d]! += 1e-9;
    const step = solveSpd(hessian, gradient, m);
    let largest = 0;
    for (let j = 0; j < m; j++) {
      theta[j]! -= step[j]!;
      largest = Math.max(largest, Math.abs(step[j]!));
    }
    if (largest < tolerance) break;
  }
  return { weights: theta.slice(0, d), bias: theta[d]! };
}

export interface Standardizer {
  mean: Float64Array;
  scale: Float64Array;
}

/** Column means and standard deviations of `rows` (all rows when omitted); a constant column keeps scale 1. */
export function fitStandardizer(x: Float64Array, d: number, rows?: readonly number[]): Standardizer {
  const use = rows ?? Array.from({ length: x.length / d }, (_, i) => i);
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (const r of use) for (let j = 0; j < d; j++) mean[j]! += x[r * d + j]! / use.length;
  for (const r of use) for (let j = 0; j < d; j++) scale[j]! += (x[r * d + j]! - mean[j]!) ** 2 / use.length;
  for (let j = 0; j < d; j++) scale[j] = scale[j]! > 1e-12 ? Math.sqrt(scale[j]!) : 1;
  return { mean, scale };
}

/** The given rows (all when omitted) standardised, as a new row-major matrix. */
export function standardizeRows(x: Float64Array, d: number, s: Standardizer, rows?: readonly number[]): Float64Array {
  const use = rows ?? Array.from({ length: x.length / d }, (_, i) => i);
  const out = new Float64Array(use.length * d);
  use.forEach((r, i) => {
    for (let j = 0; j < d; j++) out[i * d + j] = (x[r * d + j]! - s.mean[j]!) / s.scale[j]!;
  });
  return out;
}
