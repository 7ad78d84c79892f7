/**
 * Weighted matrix factorisation of implicit feedback by alternating least squares (Hu, Koren & Volinsky
 * 2008), the collaborative-filtering target of van den Oord, Dieleman & Schrauwen (NIPS 2013).
 *
 * Each iteration solves all users against fixed items, then all items against fixed users. Rows are shared
 * out to worker threads over SharedArrayBuffer; since a row's solve reads only the fixed side, the factors
 * are bitwise identical for any thread count.
 */
import { availableParallelism } from "node:os";
import { type ConfidenceOptions, confidenceValues } from "./confidence.js";
import { ALS_DEFAULTS } from "./defaults.js";
import { randomFactors } from "./factors.js";
import { totalLoss } from "./loss.js";
import { AlsPool } from "./pool.js";
import { SharedArena } from "./simd.js";
import { allocateCgBuffers, cgBufferLengths, combineGramian, GRAM_BLOCK_ROWS } from "./solve.js";
import { type CsrMatrix, type SparseInteractions, sharedFloat64, sharedInt32 } from "./sparse.js";
import type { SharedFitState, Side } from "./work.js";

export type AlsSolver = "cg" | "cholesky";

export interface IterationReport {
  /** 0-based index of the iteration just completed; resume with `startIteration: iteration + 1`. */
  readonly iteration: number;
  /** Wall time of this iteration's two half-steps (excludes the loss). */
  readonly elapsedMs: number;
  /** Weighted training loss after this iteration, when `computeLoss` is set. */
  readonly loss?: number;
  /** Live factor arrays (users × factors, items × factors), valid only during the callback: copy them out. */
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
}

export interface AlsOptions extends ConfidenceOptions {
  /** Latent dimensions. Default 40 (the NIPS 2013 paper's WMF uses 40 factors); a multiple of 4 for "cg". */
  readonly factors?: number;
  /**
   * λ on ‖x_u‖² and ‖y_i‖². Default 0.01, benfred/implicit's default; it is not scaled by row counts, so with
   * large α the data term dominates and λ mostly guards conditioning. Tune it on held-out ranking metrics.
   */
  readonly regularization?: number;
  /** Full iterations (users then items). Default 15. */
  readonly iterations?: number;
  /** Default "cg"; "cholesky" is the exact O(nnz·k² + rows·k³) solve, for checking. */
  readonly solver?: AlsSolver;
  /** CG steps per row per half-iteration (warm-started, so few suffice). Default 3, as benfred/implicit. */
  readonly cgSteps?: number;
  /** Seed of the initial factors (ignored when `initial` is given). Default 0. */
  readonly seed?: number;
  /** Worker threads. Default os.availableParallelism(); 1 runs on the calling thread. */
  readonly threads?: number;
  /** Compute the loss after each iteration (costs about one extra CG step). Default false. */
  readonly computeLoss?: boolean;
  /** Factors to start from (resume); copied, not modified. Default: `randomFactors` from `seed`. */
  readonly initial?: { readonly userFactors: Float32Array; readonly itemFactors: Float32Array };
  /** Iterations already done by `initial`: the fit runs iterations [startIteration, iterations). Default 0. */
  readonly startIteration?: number;
  /** Rows claimed per grab by a thread: small enough to balance power-law rows. Default 64. */
  readonly chunkRows?: number;
  /** Awaited after every iteration, e.g. to checkpoint the factors or report progress. */
  readonly onIteration?: (report: IterationReport) => void | Promise<void>;
}

export interface AlsModel {
  readonly factors: number;
  /** users × factors, row-major float32. */
  readonly userFactors: Float32Array;
  /** items × factors, row-major float32. */
  readonly itemFactors: Float32Array;
  /** Loss after each iteration run (empty unless `computeLoss`). */
  readonly losses: number[];
}

function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${value}`);
}

function checkInitial(name: string, source: Float32Array, expected: number): Float32Array {
  if (source.length !== expected) throw new RangeError(`initial ${name} has ${source.length} values, expected ${expected}`);
  for (let j = 0; j < source.length; j++) {
    if (!Number.isFinite(source[j]!)) throw new RangeError(`initial ${name}[${j}] is ${source[j]}`);
  }
  return source;
}

/** The same pattern with indices and confidences copied into the arena (the SIMD kernels read them there). */
function confidenceIn(arena: SharedArena, counts: CsrMatrix, options: ConfidenceOptions): CsrMatrix {
  const nnz = counts.indices.length;
  const indices = arena.int32(nnz);
  indices.set(counts.indices);
  return { ...counts, indices, data: confidenceValues(counts.data, options, arena.float32(nnz)) };
}

/** Factorises play counts (`buildInteractions` output) into user and item factors. */
export async function fitAls(interactions: SparseInteractions, options: AlsOptions = {}): Promise<AlsModel> {
  const k = options.factors ?? ALS_DEFAULTS.factors;
  const regularization = options.regularization ?? ALS_DEFAULTS.regularization;
  const iterations = options.iterations ?? ALS_DEFAULTS.iterations;
  const solver = options.solver ?? ALS_DEFAULTS.solver;
  const cgSteps = options.cgSteps ?? ALS_DEFAULTS.cgSteps;
  const threads = options.threads ?? availableParallelism();
  const startIteration = options.startIteration ?? 0;
  const chunk = options.chunkRows ?? 64;
  checkPositiveInteger("factors", k);
  checkPositiveInteger("cgSteps", cgSteps);
  checkPositiveInteger("chunkRows", chunk);
  checkPositiveInteger("threads", threads);
  if (solver === "cg" && k % 4 !== 0) throw new RangeError(`the CG solver needs factors to be a multiple of 4 (SIMD lanes), got ${k}`);
  if (!Number.isInteger(iterations) || iterations < 0) throw new RangeError(`iterations must be an integer ≥ 0, got ${iterations}`);
  if (!Number.isInteger(startIteration) || startIteration < 0 || startIteration > iterations) {
    throw new RangeError(`startIteration must be an integer in [0, ${iterations}], got ${startIteration}`);
  }
  if (!(regularization >= 0) || !Number.isFinite(regularization)) {
    throw new RangeError(`regularization must be finite and ≥ 0, got ${regularization}`);
  }

  const users = interactions.csr.rows;
  const items = interactions.csr.cols;
  const nnz = interactions.csr.indices.length;
  const arena = new SharedArena(
    SharedArena.bytes([nnz, nnz, nnz, nnz, users * k, items * k, ...Array.from({ length: threads }, () => cgBufferLengths(k)).flat()]),
  );
  const userFactors = arena.float32(users * k);
  userFactors.set(options.initial ? checkInitial("userFactors", options.initial.userFactors, users * k) : randomFactors(users, k, options.seed ?? ALS_DEFAULTS.seed));
  const itemFactors = arena.float32(items * k);
  itemFactors.set(
    options.initial ? checkInitial("itemFactors", options.initial.itemFactors, items * k) : randomFactors(items, k, (options.seed ?? ALS_DEFAULTS.seed) + 1),
  );
  const state: SharedFitState = {
    memory: arena.memory,
    userItems: confidenceIn(arena, interactions.csr, options),
    itemUsers: confidenceIn(arena, interactions.csc, options),
    userFactors,
    itemFactors,
    cgBuffers: Array.from({ length: threads }, () => allocateCgBuffers(arena, k)),
    factors: k,
    gram: sharedFloat64(k * k),
    gramPartials: sharedFloat64(Math.ceil(Math.max(users, items) / GRAM_BLOCK_ROWS) * k * k),
    cursor: sharedInt32(1),
    rowLoss: sharedFloat64(users),
  };
  const losses: number[] = [];
  const pool = new AlsPool(state, threads);
  try {
    // YᵀY (+ λI) of one side into state.gram, blocks computed in parallel and added in block order.
    const gram = async (of: Side, lambda: number): Promise<void> => {
      await pool.run({ kind: "gram", of });
      const blocks = Math.ceil((of === "users" ? users : items) / GRAM_BLOCK_ROWS);
      combineGramian(state.gramPartials, blocks, k, lambda, state.gram);
    };
    const half = async (side: Side): Promise<void> => {
      await gram(side === "users" ? "items" : "users", regularization);
      await pool.run(solver === "cg" ? { kind: "cg", side, cgSteps, chunk } : { kind: "cholesky", side, chunk });
    };
    for (let iteration = startIteration; iteration < iterations; iteration++) {
      const started = performance.now();
      await half("users");
      await half("items");
      const elapsedMs = performance.now() - started;
      let loss: number | undefined;
      if (options.computeLoss) {
        await gram("items", 0);
        await pool.run({ kind: "loss", regularization, chunk });
        loss = totalLoss(state.rowLoss, users, items, state.itemFactors, state.userItems.data, regularization);
        losses.push(loss);
      }
      await options.onIteration?.({
        iteration,
        elapsedMs,
        ...(loss === undefined ? {} : { loss }),
        userFactors: state.userFactors,
        itemFactors: state.itemFactors,
      });
    }
  } finally {
    await pool.close();
  }
  // Copies, so the caller does not keep the whole arena (indices, confidences) alive through the factors.
  return { factors: k, userFactors: userFactors.slice(), itemFactors: itemFactors.slice(), losses };
}
