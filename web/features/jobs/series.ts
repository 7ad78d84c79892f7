/** One epoch of a training job's series, as the train stage plots it. */
export interface LossPoint {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  /** Users ranking the validation tracks (absent in runs from before it was recorded). */
  valAuc?: number;
}

/** The loss points of a job's series JSON; other series (or none) give an empty curve. */
export function lossPoints(series: string): LossPoint[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(series);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(
    (p): p is LossPoint => typeof p === "object" && p !== null && typeof p.epoch === "number" && typeof p.trainLoss === "number" && typeof p.valLoss === "number",
  );
}
