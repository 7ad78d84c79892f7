/**
 * The weighted implicit-feedback loss that ALS minimises (Hu et al. 2008, eq. 3), normalised like
 * benfred/implicit's `calculate_loss`:
 *     L = [Σ_{u,i} c_ui (p_ui − x_u·y_i)² + λ(Σ_u |x_u|² + Σ_i |y_i|²)] / Σ_{u,i} c_ui
 * over all users × items cells (unstored cells have c = 1, p = 0). The dense sum is never formed:
 * Σ_i (x·y_i)² over all items is xᵀ(YᵀY)x, and each stored entry corrects its own cell.
 */
import type { HalfProblem } from "./solve.js";

/**
 * Each row's share of the numerator (rows [start, end) of `problem.target` = users, `fixed` = items, `gram` =
 * YᵀY without λ), written to `out[u]` so a fixed-order sum gives the same total for any thread split.
 */
export function lossRows(
  problem: HalfProblem,
  regularization: number,
  start: number,
  end: number,
  out: Float64Array,
): void {
  const { indptr, indices, confidence, target: x, fixed: y, gram } = problem;
  const k = problem.factors;
  for (let u = start; u < end; u++) {
    const base = u * k;
    let quad = 0;
    let norm = 0;
    for (let a = 0; a < k; a++) {
      const xa = x[base + a]!;
      let s = 0;
      for (let b = 0; b < k; b++) s += gram[a * k + b]! * x[base + b]!;
      quad += xa * s;
      norm += xa * xa;
    }
    let observed = 0;
    for (let j = indptr[u]!; j < indptr[u + 1]!; j++) {
      const c = confidence[j]!;
      const off = indices[j]! * k;
      let d = 0;
      for (let a = 0; a < k; a++) d += x[base + a]! * y[off + a]!;
      // c(1 − d)² replaces the 1·d² that quad already counted for this cell.
      observed += (c - 1) * d * d - 2 * c * d + c;
    }
    out[u] = quad + observed + regularization * norm;
  }
}

/** Combines per-user shares with the item-side regularisation and the normaliser. */
export function totalLoss(
  rowShares: Float64Array,
  users: number,
  items: number,
  itemFactors: Float32Array,
  confidence: Float32Array,
  regularization: number,
): number {
  let numerator = 0;
  for (let u = 0; u < users; u++) numerator += rowShares[u]!;
  let itemNorm = 0;
  for (let j = 0; j < itemFactors.length; j++) itemNorm += itemFactors[j]! * itemFactors[j]!;
  numerator += regularization * itemNorm;
  let stored = 0;
  for (let j = 0; j < confidence.length; j++) stored += confidence[j]!;
  return numerator / (stored + users * items - confidence.length);
}
