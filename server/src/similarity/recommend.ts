import { dot } from "./vectors.js";
import { topK } from "./top-k.js";
import { calibrate } from "@curator/worker/model/cf-calibration.js";

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
  /**
   * The model's map of user · predicted raw factors onto the CF scale (model/cf-calibration.ts), fitted on tracks
   * with both. When given it replaces coldScale, so a cold track scores what a warm track with that audio scores.
   */
  calibration?: { slope: number; intercept: number };
  /** The discovery dial: at most this many cold tracks in the list; the rest of it is filled with warm ones. */
  maxCold?: number;
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
        const cosine = dot(input.user, 0, predicted.unit, i * d, d);
        scores[n++] = input.calibration ? calibrate(input.calibration, cosine * predicted.norms[i]!) : cosine * input.coldScale;
      }
    }
  }
  const picks = capCold(scores.subarray(0, n), cold, input.k, input.maxCold);
  return Array.from(picks, (p) => ({ trackId: ids[p]!, score: scores[p]!, cold: cold[p] === 1 }));
}

/**
 * Positions of the k best scores holding at most `maxCold` cold ones: the best warm and the best cold candidates,
 * merged by score. Without a cap (or under it) the plain top k.
 */
export function capCold(scores: Float64Array, cold: Uint8Array, k: number, maxCold?: number): Int32Array {
  if (maxCold !== undefined && !(Number.isInteger(maxCold) && maxCold >= 0)) throw new RangeError(`maxCold = ${maxCold} is not a non-negative integer`);
  const top = topK(scores, k);
  if (maxCold === undefined || top.filter((p) => cold[p] === 1).length <= maxCold) return top;
  const warm = topK(scores.map((s, p) => (cold[p] === 1 ? NaN : s)), k);
  const coldest = topK(scores.map((s, p) => (cold[p] === 1 ? s : NaN)), Math.min(k, maxCold));
  const merged = Int32Array.from([...warm, ...coldest]).sort((a, b) => scores[b]! - scores[a]! || a - b);
  return merged.subarray(0, Math.min(k, merged.length));
}
