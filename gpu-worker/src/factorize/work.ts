/**
 * The unit of parallel work of a fit: rows of one side handed out in chunks from a shared atomic cursor.
 * Run by every worker thread and, with one thread, inline on the caller's thread, so both paths execute the
 * same code on the same shared arrays.
 */
import { lossRows } from "./loss.js";
import type { CsrMatrix } from "./sparse.js";
import type { SharedMemory } from "./simd.js";
import {
  type CgBuffers,
  type CgWorkspace,
  cgSolveRows,
  choleskySolveRows,
  GRAM_BLOCK_ROWS,
  gramianBlock,
  type HalfProblem,
  type RowScratch,
} from "./solve.js";

/**
 * Everything a thread needs, posted once when the pool starts. The arrays the SIMD kernels read (indices,
 * confidences, factors, CG buffers) are views of `memory`; the rest are on plain SharedArrayBuffers.
 */
export interface SharedFitState {
  readonly memory: SharedMemory;
  /** users × items confidences. */
  readonly userItems: CsrMatrix;
  /** items × users confidences. */
  readonly itemUsers: CsrMatrix;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  readonly factors: number;
  /** The fixed side's Gram matrix for the current job, written by the coordinator before each job. */
  readonly gram: Float64Array;
  /** Per-block partial Gram sums (block b at b·factors²), for the larger side's block count. */
  readonly gramPartials: Float64Array;
  /** [0]: next unclaimed row of the current job. */
  readonly cursor: Int32Array;
  /** Per-user loss shares (length = users). */
  readonly rowLoss: Float64Array;
  /** CG buffers of thread t at index t. */
  readonly cgBuffers: readonly CgBuffers[];
}

export type Side = "users" | "items";

export type Job =
  | { readonly kind: "cg"; readonly side: Side; readonly cgSteps: number; readonly chunk: number }
  | { readonly kind: "cholesky"; readonly side: Side; readonly chunk: number }
  | { readonly kind: "loss"; readonly regularization: number; readonly chunk: number }
  /** Partial Gram sums of a side's factors, one GRAM_BLOCK_ROWS block per claim. */
  | { readonly kind: "gram"; readonly of: Side };

export function halfProblem(state: SharedFitState, side: Side): HalfProblem {
  const m = side === "users" ? state.userItems : state.itemUsers;
  return {
    indptr: m.indptr,
    indices: m.indices,
    confidence: m.data,
    target: side === "users" ? state.userFactors : state.itemFactors,
    fixed: side === "users" ? state.itemFactors : state.userFactors,
    factors: state.factors,
    gram: state.gram,
  };
}

function gramBlocks(state: SharedFitState, side: Side): void {
  const factors = side === "users" ? state.userFactors : state.itemFactors;
  const k = state.factors;
  const rows = factors.length / k;
  const kk = k * k;
  for (;;) {
    const start = Atomics.add(state.cursor, 0, GRAM_BLOCK_ROWS);
    if (start >= rows) return;
    const block = state.gramPartials.subarray((start / GRAM_BLOCK_ROWS) * kk, (start / GRAM_BLOCK_ROWS + 1) * kk);
    block.fill(0);
    gramianBlock(factors, start, Math.min(rows, start + GRAM_BLOCK_ROWS), k, block);
  }
}

/** Claims chunks until the side's rows are exhausted. */
export function runJob(state: SharedFitState, job: Job, scratch: RowScratch, ws: CgWorkspace): void {
  if (job.kind === "gram") {
    gramBlocks(state, job.of);
    return;
  }
  const problem = halfProblem(state, job.kind === "loss" ? "users" : job.side);
  if (job.kind === "cg") ws.gram.set(state.gram);
  const rows = problem.indptr.length - 1;
  for (;;) {
    const start = Atomics.add(state.cursor, 0, job.chunk);
    if (start >= rows) return;
    const end = Math.min(rows, start + job.chunk);
    if (job.kind === "cg") cgSolveRows(problem, start, end, job.cgSteps, scratch, ws);
    else if (job.kind === "cholesky") choleskySolveRows(problem, start, end, scratch);
    else lossRows(problem, job.regularization, start, end, state.rowLoss);
  }
}
