/**
 * Hu, Koren & Volinsky (2008) confidence: c = 1 + α·f(r) for an observed play count r > 0, with preference
 * p = 1; unobserved cells have c = 1, p = 0 and are never stored. The solvers read the stored value as the
 * full confidence c and use c − 1 as the weight on top of the shared YᵀY (the convention of benfred/implicit).
 */
import { CONFIDENCE_DEFAULTS } from "./defaults.js";
import { type CsrMatrix, sharedFloat32 } from "./sparse.js";

/** "linear": f(r) = r.  "log": f(r) = log(1 + r/ε), which tames heavy listeners (Hu et al., eq. 6). */
export type ConfidenceScale = "linear" | "log";

export interface ConfidenceOptions {
  /** α. Default 40, the value Hu et al. found best for linear scaling of watch counts. */
  readonly alpha?: number;
  /** Default "linear". */
  readonly scale?: ConfidenceScale;
  /** ε of the log scale. Default 1, i.e. f(r) = log(1 + r), so one play already counts. Unused for linear. */
  readonly epsilon?: number;
}

/** Confidence values for play counts, into `out` (default: a new shared array of the same length). */
export function confidenceValues(
  counts: Float32Array,
  options: ConfidenceOptions = {},
  out: Float32Array = sharedFloat32(counts.length),
): Float32Array {
  const alpha = options.alpha ?? CONFIDENCE_DEFAULTS.alpha;
  const scale = options.scale ?? CONFIDENCE_DEFAULTS.scale;
  const epsilon = options.epsilon ?? CONFIDENCE_DEFAULTS.epsilon;
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new RangeError(`alpha must be finite and ≥ 0, got ${alpha}`);
  if (scale === "log" && !(epsilon > 0 && Number.isFinite(epsilon))) {
    throw new RangeError(`epsilon must be finite and > 0, got ${epsilon}`);
  }
  if (out.length !== counts.length) throw new RangeError(`output holds ${out.length} values, counts ${counts.length}`);
  for (let j = 0; j < counts.length; j++) {
    const r = counts[j]!;
    out[j] = 1 + alpha * (scale === "linear" ? r : Math.log1p(r / epsilon));
  }
  return out;
}

/** The same sparsity pattern with play counts replaced by confidences. */
export function toConfidence(counts: CsrMatrix, options: ConfidenceOptions = {}): CsrMatrix {
  return { ...counts, data: confidenceValues(counts.data, options) };
}
