import type { SharedArena, SimdKernels } from "./simd.js";

/**
 * Per-row least-squares solves of implicit-feedback ALS (Hu, Koren & Volinsky 2008).
 *
 * For a row u of the side being solved (X) against the fixed side (Y), with C_u the confidences of its
 * stored entries and p_u = 1 on them, the exact update is
 *     x_u = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ · Yᵀ C_u p_u.
 * YᵀY + λI is shared by all rows (`gram`), so each row only adds its own nonzeros.
 *
 * Factors are float32 in memory. The exact solver works in float64 throughout; CG keeps its vectors and
 * scalars in float64 and runs its matrix-vector products in float32 SIMD (see simd.ts). A row's result
 * depends only on its own entries, its previous value and the fixed side, so any split of rows over threads
 * gives bitwise the same factors.
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

/** Rows per block of the Gram matrix: fixed, so the float64 summation order never depends on thread count. */
export const GRAM_BLOCK_ROWS = 4096;

/**
 * Adds the upper triangle of Σ y_r y_rᵀ over rows [start, end) of row-major float32 factors to `out`
 * (factors², float64). Walks the rows four at a time so each loaded y_a multiplies four rows' products.
 */
export function gramianBlock(fixed: Float32Array, start: number, end: number, factors: number, out: Float64Array): void {
  const k = factors;
  let r = start;
  for (; r + 4 <= end; r += 4) {
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
  for (; r < end; r++) {
    const o = r * k;
    for (let a = 0; a < k; a++) {
      const ya = fixed[o + a]!;
      const row = a * k;
      for (let b = a; b < k; b++) out[row + b]! += ya * fixed[o + b]!;
    }
  }
}

/**
 * YᵀY + λI into `out` from `blocks` upper-triangle partial sums laid out one after another in `partials`
 * (block b at b·factors²), added in block order; both triangles of `out` are filled.
 */
export function combineGramian(partials: Float64Array, blocks: number, factors: number, regularization: number, out: Float64Array): Float64Array {
  const k = factors;
  const kk = k * k;
  out.fill(0);
  for (let b = 0; b < blocks; b++) {
    for (let a = 0; a < k; a++) for (let c = a; c < k; c++) out[a * k + c]! += partials[b * kk + a * k + c]!;
  }
  for (let a = 0; a < k; a++) {
    out[a * k + a]! += regularization;
    for (let c = a + 1; c < k; c++) out[c * k + a] = out[a * k + c]!;
  }
  return out;
}

/**
 * YᵀY + λI of `rows` row-major float32 factor rows, float64, both triangles filled. Summed per
 * GRAM_BLOCK_ROWS block, then blocks in order: the same arithmetic as the fit's parallel computation.
 */
export function gramian(
  fixed: Float32Array,
  rows: number,
  factors: number,
  regularization: number,
  out: Float64Array = new Float64Array(factors * factors),
): Float64Array {
  const blocks = Math.ceil(rows / GRAM_BLOCK_ROWS);
  const partials = new Float64Array(blocks * factors * factors);
  for (let b = 0; b < blocks; b++) {
    gramianBlock(fixed, b * GRAM_BLOCK_ROWS, Math.min(rows, (b + 1) * GRAM_BLOCK_ROWS), factors, partials.subarray(b * factors * factors));
  }
  return combineGramian(partials, blocks, factors, regularization, out);
}

/** Per-thread float64 work vectors of length `factors` (and a factors² matrix), reused for every row. */
export class RowScratch {
  readonly x: Float64Array;
  readonly r: Float64Array;
  readonly p: Float64Array;
  /** factors × factors, for the Cholesky solver. */
  readonly a: Float64Array;
  constructor(readonly factors: number) {
    this.x = new Float64Array(factors);
    this.r = new Float64Array(factors);
    this.p = new Float64Array(factors);
    this.a = new Float64Array(factors * factors);
  }
}

/** Float32 per-thread buffers inside the kernels' shared memory: the Gram matrix and the SIMD in/out vectors. */
export interface CgBuffers {
  readonly gram: Float32Array;
  readonly v: Float32Array;
  readonly out: Float32Array;
}

/** Elements (4 bytes each) that `allocateCgBuffers` takes from a `SharedArena`. */
export function cgBufferLengths(factors: number): number[] {
  return [factors * factors, factors, factors];
}

export function allocateCgBuffers(arena: SharedArena, factors: number): CgBuffers {
  return { gram: arena.float32(factors * factors), v: arena.float32(factors), out: arena.float32(factors) };
}

/** One thread's kernels instance and buffers. */
export interface CgWorkspace extends CgBuffers {
  readonly kernels: SimdKernels;
}

function addressIn(array: Float32Array | Int32Array, buffer: ArrayBufferLike, name: string): number {
  if (array.buffer !== buffer) throw new Error(`cgSolveRows: ${name} must live in the kernels' shared memory (see SharedArena)`);
  return array.byteOffset;
}

function axpy(t: number, y: Float32Array, offset: number, out: Float64Array, k: number): void {
  for (let a = 0; a < k; a++) out[a]! += t * y[offset + a]!;
}

/**
 * Conjugate-gradient update of rows [start, end) (benfred/implicit's solver, after Takács et al. 2011):
 * warm-started from the row's current value, `cgSteps` steps of CG on the normal equations, the matrix
 * applied as YᵀY·p + Σ_i (c_i − 1)(y_i·p) y_i so no per-row matrix is formed. Rows without entries become 0.
 * The O(nnz·k) and O(k²) products run in the SIMD kernels (float32); CG's scalars and vectors are float64.
 * `indices`, `confidence`, `target` and `fixed` must live in `ws`'s shared memory, and `ws.gram` hold the
 * current YᵀY + λI.
 */
export function cgSolveRows(
  problem: HalfProblem,
  start: number,
  end: number,
  cgSteps: number,
  scratch: RowScratch,
  ws: CgWorkspace,
): void {
  const { indptr, target } = problem;
  const k = problem.factors;
  if (k % 4 !== 0) throw new RangeError(`the CG solver needs factors to be a multiple of 4 (SIMD lanes), got ${k}`);
  const { x, r, p } = scratch;
  const { v, out, kernels } = ws;
  const buffer = ws.gram.buffer;
  const idx = addressIn(problem.indices, buffer, "indices");
  const conf = addressIn(problem.confidence, buffer, "confidence");
  const fixed = addressIn(problem.fixed, buffer, "fixed factors");
  const targetAt = addressIn(target, buffer, "target factors");
  const g = ws.gram.byteOffset;
  const vAt = v.byteOffset;
  const outAt = out.byteOffset;
  for (let u = start; u < end; u++) {
    const base = u * k;
    const lo = indptr[u]!;
    const hi = indptr[u + 1]!;
    if (lo === hi) {
      target.fill(0, base, base + k);
      continue;
    }
    // r = Yᵀ C_u p_u − (YᵀC_uY + λI) x, the kernels reading x in place from the target row.
    kernels.denseMatVec(g, targetAt + 4 * base, outAt);
    for (let a = 0; a < k; a++) out[a] = -out[a]!;
    kernels.sparsePass(lo, hi, idx, conf, fixed, targetAt + 4 * base, outAt, 1);
    let rsOld = 0;
    for (let a = 0; a < k; a++) {
      x[a] = target[base + a]!;
      const ra = out[a]!;
      r[a] = ra;
      p[a] = ra;
      rsOld += ra * ra;
    }
    if (rsOld < CG_RESIDUAL_EPSILON) continue;
    for (let step = 0; step < cgSteps; step++) {
      v.set(p);
      kernels.denseMatVec(g, vAt, outAt);
      kernels.sparsePass(lo, hi, idx, conf, fixed, vAt, outAt, 0);
      let pAp = 0;
      for (let a = 0; a < k; a++) pAp += p[a]! * out[a]!;
      const alpha = rsOld / pAp;
      let rsNew = 0;
      for (let a = 0; a < k; a++) {
        x[a]! += alpha * p[a]!;
        const ra = r[a]! - alpha * out[a]!;
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
