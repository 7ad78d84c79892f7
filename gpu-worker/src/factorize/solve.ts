/**
 * Per-row least-squares solves of implicit-feedback ALS (Hu, Koren & Volinsky 2008).
 *
 * For a row u of the side being solved (X) against the fixed side (Y), with C_u the confidences of its
 * stored entries and p_u = 1 on them, the exact update is
 *     x_u = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ · Yᵀ C_u p_u.
 * YᵀY + λI is shared by all rows (`gram`), so each row only adds its own nonzeros.
 *
 * Factors are float32 in memory; every per-row vector and reduction is float64 so that a row's result does
 * not depend on summation-order rounding in float32. A row's result depends only on its own entries, its
 * previous value and the fixed side, so any split of rows over threads gives bitwise the same factors.
 */

/** One half-iteration: solve rows of `target` against `fixed`. */
export interface HalfProblem {
  /** CSR of the side being solved: row u's entries are `[indptr[u], indptr[u + 1])`. */
  readonly indptr: Int32Array;
  /** Row ids into `fixed`. */
  readonly indices: Int32Array;
  /** Confidence c of each stored entry (c ≥ 1; the preference is 1). */
  readonly confidence: Float32Array;
  /** rows × factors, row-major, updated in place. */
  readonly target: Float32Array;
  /** (other side's rows) × factors, row-major, read only. */
  readonly fixed: Float32Array;
  readonly factors: number;
  /** YᵀY + λI, factors × factors row-major, both triangles filled (see `gramian`). */
  readonly gram: Float64Array;
}

/** CG stops a row once the squared residual norm falls below this (benfred/implicit uses the same). */
export const CG_RESIDUAL_EPSILON = 1e-20;

/**
 * YᵀY + λI of `rows` row-major float32 factor rows, accumulated in float64 into `out` (factors²).
 * Walks Y once, in four-row blocks so each loaded y_a multiplies four rows' worth of products.
 */
export function gramian(
  fixed: Float32Array,
  rows: number,
  factors: number,
  regularization: number,
  out: Float64Array = new Float64Array(factors * factors),
): Float64Array {
  const k = factors;
  out.fill(0);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o0 = r * k;
    const o1 = o0 + k;
    const o2 = o1 + k;
    const o3 = o2 + k;
    for (let a = 0; a < k; a++) {
      const a0 = fixed[o0 + a]!;
      const a1 = fixed[o1 + a]!;
      const a2 = fixed[o2 + a]!;
      const a3 = fixed[o3 + a]!;
      const row = a * k;
      for (let b = a; b < k; b++) {
        out[row + b]! += a0 * fixed[o0 + b]! + a1 * fixed[o1 + b]! + a2 * fixed[o2 + b]! + a3 * fixed[o3 + b]!;
      }
    }
  }
  for (; r < rows; r++) {
    const o = r * k;
    for (let a = 0; a < k; a++) {
      const ya = fixed[o + a]!;
      const row = a * k;
      for (let b = a; b < k; b++) out[row + b]! += ya * fixed[o + b]!;
    }
  }
  for (let a = 0; a < k; a++) {
    out[a * k + a]! += regularization;
    for (let b = a + 1; b < k; b++) out[b * k + a] = out[a * k + b]!;
  }
  return out;
}

/** Per-thread work vectors of length `factors`, allocated once and reused for every row. */
export class RowScratch {
  readonly x: Float64Array;
  readonly r: Float64Array;
  readonly p: Float64Array;
  readonly ap: Float64Array;
  /** factors × factors, for the Cholesky solver. */
  readonly a: Float64Array;
  constructor(readonly factors: number) {
    this.x = new Float64Array(factors);
    this.r = new Float64Array(factors);
    this.p = new Float64Array(factors);
    this.ap = new Float64Array(factors);
    this.a = new Float64Array(factors * factors);
  }
}

/** out = M·v for the dense factors × factors matrix M. */
function matVec(m: Float64Array, v: Float64Array, out: Float64Array, k: number, sign: number): void {
  for (let a = 0; a < k; a++) {
    const row = a * k;
    let s0 = 0;
    let s1 = 0;
    let b = 0;
    for (; b + 2 <= k; b += 2) {
      s0 += m[row + b]! * v[b]!;
      s1 += m[row + b + 1]! * v[b + 1]!;
    }
    if (b < k) s0 += m[row + b]! * v[b]!;
    out[a] = sign * (s0 + s1);
  }
}

function dot(y: Float32Array, offset: number, v: Float64Array, k: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let a = 0;
  for (; a + 4 <= k; a += 4) {
    s0 += y[offset + a]! * v[a]!;
    s1 += y[offset + a + 1]! * v[a + 1]!;
    s2 += y[offset + a + 2]! * v[a + 2]!;
    s3 += y[offset + a + 3]! * v[a + 3]!;
  }
  for (; a < k; a++) s0 += y[offset + a]! * v[a]!;
  return s0 + s1 + (s2 + s3);
}

function axpy(t: number, y: Float32Array, offset: number, out: Float64Array, k: number): void {
  for (let a = 0; a < k; a++) out[a]! += t * y[offset + a]!;
}

/**
 * Conjugate-gradient update of rows [start, end) (benfred/implicit's solver, after Takács et al. 2011):
 * warm-started from the row's current value, `cgSteps` steps of CG on the normal equations, the matrix
 * applied as YᵀY·p + Σ_i (c_i − 1)(y_i·p) y_i so no per-row matrix is formed. Rows without entries become 0.
 */
export function cgSolveRows(
  problem: HalfProblem,
  start: number,
  end: number,
  cgSteps: number,
  scratch: RowScratch,
): void {
  const { indptr, indices, confidence, target, fixed, gram } = problem;
  const k = problem.factors;
  const { x, r, p, ap } = scratch;
  for (let u = start; u < end; u++) {
    const base = u * k;
    const lo = indptr[u]!;
    const hi = indptr[u + 1]!;
    if (lo === hi) {
      target.fill(0, base, base + k);
      continue;
    }
    for (let a = 0; a < k; a++) x[a] = target[base + a]!;
    // r = Yᵀ C_u p_u − (YᵀC_uY + λI) x
    matVec(gram, x, r, k, -1);
    for (let j = lo; j < hi; j++) {
      const c = confidence[j]!;
      const off = indices[j]! * k;
      axpy(c - (c - 1) * dot(fixed, off, x, k), fixed, off, r, k);
    }
    let rsOld = 0;
    for (let a = 0; a < k; a++) {
      p[a] = r[a]!;
      rsOld += r[a]! * r[a]!;
    }
    if (rsOld < CG_RESIDUAL_EPSILON) continue;
    for (let step = 0; step < cgSteps; step++) {
      matVec(gram, p, ap, k, 1);
      for (let j = lo; j < hi; j++) {
        const off = indices[j]! * k;
        axpy((confidence[j]! - 1) * dot(fixed, off, p, k), fixed, off, ap, k);
      }
      let pAp = 0;
      for (let a = 0; a < k; a++) pAp += p[a]! * ap[a]!;
      const alpha = rsOld / pAp;
      let rsNew = 0;
      for (let a = 0; a < k; a++) {
        x[a]! += alpha * p[a]!;
        const ra = r[a]! - alpha * ap[a]!;
        r[a] = ra;
        rsNew += ra * ra;
      }
      if (rsNew < CG_RESIDUAL_EPSILON) break;
      const beta = rsNew / rsOld;
      for (let a = 0; a < k; a++) p[a] = r[a]! + beta * p[a]!;
      rsOld = rsNew;
    }
    for (let a = 0; a < k; a++) target[base + a] = x[a]!;
  }
}

/**
 * Exact update of rows [start, end): forms A = YᵀY + λI + Σ_i (c_i − 1) y_i y_iᵀ and b = Σ_i c_i y_i per row
 * and solves A x = b by Cholesky. Costs O(nnz·k² + rows·k³); kept as the reference the CG solver converges to.
 * Throws naming the row when A is not positive definite (only possible with λ ≤ 0).
 */
export function choleskySolveRows(problem: HalfProblem, start: number, end: number, scratch: RowScratch): void {
  const { indptr, indices, confidence, target, fixed, gram } = problem;
  const k = problem.factors;
  const { a: m, x: b } = scratch;
  for (let u = start; u < end; u++) {
    const base = u * k;
    const lo = indptr[u]!;
    const hi = indptr[u + 1]!;
    if (lo === hi) {
      target.fill(0, base, base + k);
      continue;
    }
    m.set(gram);
    b.fill(0);
    for (let j = lo; j < hi; j++) {
      const c = confidence[j]!;
      const off = indices[j]! * k;
      axpy(c, fixed, off, b, k);
      const w = c - 1;
      for (let i = 0; i < k; i++) {
        const wi = w * fixed[off + i]!;
        const row = i * k;
        for (let l = i; l < k; l++) m[row + l]! += wi * fixed[off + l]!;
      }
    }
    // Upper-triangular R with A = RᵀR, overwriting the upper triangle of m.
    for (let i = 0; i < k; i++) {
      let d = m[i * k + i]!;
      for (let q = 0; q < i; q++) d -= m[q * k + i]! * m[q * k + i]!;
      if (!(d > 0)) {
        throw new RangeError(`row ${u}: normal-equation matrix is not positive definite (pivot ${i} = ${d}); increase regularization`);
      }
      const rii = Math.sqrt(d);
      m[i * k + i] = rii;
      for (let l = i + 1; l < k; l++) {
        let s = m[i * k + l]!;
        for (let q = 0; q < i; q++) s -= m[q * k + i]! * m[q * k + l]!;
        m[i * k + l] = s / rii;
      }
    }
    // Rᵀz = b, then R x = z, both in place in b.
    for (let i = 0; i < k; i++) {
      let s = b[i]!;
      for (let q = 0; q < i; q++) s -= m[q * k + i]! * b[q]!;
      b[i] = s / m[i * k + i]!;
    }
    for (let i = k - 1; i >= 0; i--) {
      let s = b[i]!;
      for (let q = i + 1; q < k; q++) s -= m[i * k + q]! * b[q]!;
      b[i] = s / m[i * k + i]!;
    }
    for (let i = 0; i < k; i++) target[base + i] = b[i]!;
  }
}
