import { choleskySolve } from "../util/cholesky.js";
// L2-regularised multinomial logistic regression (softmax over C classes, class 0 the reference with logit 0)
// fitted by Newton's method. The cross-entropy plus λ‖W‖² is strictly convex, so Newton from W = 0 (halving a
// step that would raise it) reaches the one optimum and the same data always give the same weights: no seed, no
// learning rate to tune. With C = 2 it is the binary logistic regression.

export interface MultinomialModel {
  /** Classes, the reference class 0 included. */
  classes: number;
  /** (classes − 1) × d, row-major: the weights of classes 1 … C−1 (class 0's are 0). */
  weights: Float64Array;
  /** classes − 1 biases. */
  biases: Float64Array;
}

export interface LogisticOptions {
  /** λ of λ‖W‖² (the biases are not penalised). */
  l2: number;
  /** Newton steps at most. Default 50. */
  maxIterations?: number;
  /** Stop when no weight moves more than this. Default 1e-8. */
  tolerance?: number;
}

/** P(class) for row `row` of a row-major n × d matrix: the softmax of (0, w₁·x + b₁, …). */
export function predictRow(model: MultinomialModel, x: Float64Array, row: number): Float64Array {
  const d = model.weights.length / (model.classes - 1);
  const logits = new Float64Array(model.classes);
  for (let c = 1; c < model.classes; c++) {
    let z = model.biases[c - 1]!;
    for (let j = 0; j < d; j++) z += model.weights[(c - 1) * d + j]! * x[row * d + j]!;
    logits[c] = z;
  }
  return softmax(logits);
}

/** −Σ_c t_c log p_c for row `row` of the targets (row-major, p.length classes per row), each p floored at `floor`. */
export function crossEntropy(targets: Float64Array, row: number, p: Float64Array, floor: number): number {
  const classes = p.length;
  let loss = 0;
  for (let c = 0; c < classes; c++) if (targets[row * classes + c]! > 0) loss -= targets[row * classes + c]! * Math.log(Math.max(p[c]!, floor));
  return loss;
}

/** exp(z) / Σ exp(z), shifted by the largest logit so that no exponential overflows. */
export function softmax(logits: Float64Array): Float64Array {
  const top = Math.max(...logits);
  const e = Float64Array.from(logits, (z) => Math.exp(z - top));
  const total = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / total);
}

/** Solves A z = b for symmetric positive definite A (m × m, row-major) by Cholesky; A and b are left intact. */
export function solveSpd(a: Float64Array, b: Float64Array, m: number): Float64Array {
  return choleskySolve(Float64Array.from(a), m, b, 1);
}

/**
 * Fits P(class | x) to n rows of x (row-major n × d) and targets (row-major n × classes, each row a distribution:
 * one-hot for a single label, split evenly for a track with two). Features should be on comparable scales
 * (standardise first) so that one λ suits all of them.
 */
export function fitMultinomial(x: Float64Array, targets: Float64Array, d: number, classes: number, options: LogisticOptions): MultinomialModel {
  const n = targets.length / classes;
  if (!Number.isInteger(n) || classes < 2) throw new RangeError(`fitMultinomial: ${targets.length} targets are not rows of ${classes} ≥ 2 classes`);
  if (x.length !== n * d) throw new RangeError(`fitMultinomial: ${x.length} values are not ${n} rows × ${d}`);
  if (!(options.l2 > 0)) throw new RangeError(`fitMultinomial: l2 must be positive (it keeps separable data finite), got ${options.l2}`);
  const m = d + 1; // per class: weights, then the bias
  const k = classes - 1;
  const size = k * m;
  let theta = new Float64Array(size);
  const model = (t: Float64Array): MultinomialModel => ({
    classes,
    weights: Float64Array.from({ length: k * d }, (_, i) => t[Math.floor(i / d) * m + (i % d)]!),
    biases: Float64Array.from({ length: k }, (_, c) => t[c * m + d]!),
  });
  const objective = (t: Float64Array): number => {
    const fitted = model(t);
    let loss = 0;
    for (let i = 0; i < n; i++) loss += crossEntropy(targets, i, predictRow(fitted, x, i), 1e-300);
    for (let j = 0; j < k * d; j++) loss += options.l2 * fitted.weights[j]! ** 2;
    return loss;
  };
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-8;
  let current = objective(theta);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const fitted = model(theta);
    const gradient = new Float64Array(size);
    const hessian = new Float64Array(size * size);
    for (let i = 0; i < n; i++) {
      const p = predictRow(fitted, x, i);
      const at = (j: number) => (j < d ? x[i * d + j]! : 1);
      for (let a = 0; a < k; a++) {
        const residual = p[a + 1]! - targets[i * classes + a + 1]!;
        for (let j = 0; j < m; j++) gradient[a * m + j]! += residual * at(j);
        for (let b = 0; b <= a; b++) {
          // Hessian block (a, b): p_a (δ_ab − p_b) x xᵀ, floored on the diagonal so a saturated fit stays solvable.
          const w = a === b ? Math.max(p[a + 1]! * (1 - p[a + 1]!), 1e-12) : -p[a + 1]! * p[b + 1]!;
          for (let j = 0; j < m; j++) {
            const wj = w * at(j);
            for (let l = 0; l < m; l++) hessian[(a * m + j) * size + b * m + l]! += wj * at(l);
          }
        }
      }
    }
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < a; b++) {
        for (let j = 0; j < m; j++) for (let l = 0; l < m; l++) hessian[(b * m + l) * size + a * m + j] = hessian[(a * m + j) * size + b * m + l]!;
      }
      for (let j = 0; j < d; j++) {
        gradient[a * m + j]! += 2 * options.l2 * theta[a * m + j]!;
        hessian[(a * m + j) * size + a * m + j]! += 2 * options.l2;
      }
      // The biases are unpenalised; a tiny ridge keeps the system solvable when a class has no example.
      hessian[(a * m + d) * size + a * m + d]! += 1e-9;
    }
    const step = solveSpd(hessian, gradient, size);
    // Newton's full step can overshoot far from the optimum (near-separable classes); halve it until the
    // objective does not rise.
    let scale = 1;
    let next = theta.map((v, j) => v - step[j]!);
    let value = objective(next);
    while (value > current && scale > 1e-6) {
      scale /= 2;
      next = theta.map((v, j) => v - scale * step[j]!);
      value = objective(next);
    }
    const largest = step.reduce((s, v) => Math.max(s, Math.abs(scale * v)), 0);
    theta = next;
    current = value;
    if (largest < tolerance) break;
  }
  return model(theta);
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
