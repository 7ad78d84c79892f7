import { dot } from "./vectors.js";
import { topK } from "./top-k.js";

export interface RecommendInput {
  /** The user's raw CF factors (d values). */
  user: Float32Array;
  /** Raw CF item factors; a zero norm marks a track without training listens. rowOfTrack: track id → row. */
  cf: { trackIds: Int32Array; raw: Float32Array; norms: Float32Array; rowOfTrack: ReadonlyMap<number, number> };
  /** Predicted factors, unit rows; scores tracks that have no CF factors. */
  predicted?: { trackIds: Int32Array; unit: Float32Array; norms: Float32Array };
  /**
   * Scale that puts a unit predicted vector into raw CF space. The convnet regresses *unit* CF factors, so the
   * prediction carries a direction but no popularity (the raw norm); the median raw norm of the warm tracks
   * scores a cold track like a typical catalogue track in that direction, neither a hit nor an obscurity.
   */
  coldScale: number;
  /** Track ids never recommended: the user's training listens (held-out listens stay recommendable). */
  exclude: ReadonlySet<number>;
  select: "all" | "warm" | "cold";
  k: number;
}

export interface Recommended {
  trackId: number;
  score: number;
  /** Scored through predicted factors: the track has no CF factors. */
  cold: boolean;
}

/**
 * Personalised ranking by maximum inner product: score = user · item over raw factors (the ALS preference
 * estimate), brute force over the catalogue: n × d multiply-adds per user (100 k tracks × 40 dimensions:
 * 10–25 ms on the loaded 2-core dev machine), so no index is needed at catalogue scale.
 */
export function recommend(input: RecommendInput): Recommended[] {
  const d = input.user.length;
  const { cf, predicted, exclude } = input;
  if (cf.raw.length !== cf.trackIds.length * d) throw new RangeError(`recommend: CF factors are not ${cf.trackIds.length} × ${d}`);
  if (predicted && predicted.unit.length !== predicted.trackIds.length * d) {
    throw new RangeError(`recommend: predicted factors are not ${predicted.trackIds.length} × ${d} (CF has ${d} dimensions)`);
  }
  const usePredicted = input.select !== "warm" && predicted !== undefined;
  const size = (input.select !== "cold" ? cf.trackIds.length : 0) + (usePredicted ? predicted.trackIds.length : 0);
  const ids = new Int32Array(size);
  const cold = new Uint8Array(size);
  const scores = new Float64Array(size);
  let n = 0;
  if (input.select !== "cold") {
    for (let i = 0; i < cf.trackIds.length; i++) {
      const id = cf.trackIds[i]!;
      if (cf.norms[i]! > 0 && !exclude.has(id)) {
        ids[n] = id;
        scores[n++] = dot(input.user, 0, cf.raw, i * d, d);
      }
    }
  }
  if (usePredicted) {
    for (let i = 0; i < predicted.trackIds.length; i++) {
      const id = predicted.trackIds[i]!;
      const cfRow = cf.rowOfTrack.get(id);
      const warm = cfRow !== undefined && cf.norms[cfRow]! > 0;
      if (predicted.norms[i]! > 0 && !warm && !exclude.has(id)) {
        ids[n] = id;
        cold[n] = 1;
        scores[n++] = dot(input.user, 0, predicted.unit, i * d, d) * input.coldScale;
      }
    }
  }
  return Array.from(topK(scores.subarray(0, n), input.k), (p) => ({ trackId: ids[p]!, score: scores[p]!, cold: cold[p] === 1 }));
}
