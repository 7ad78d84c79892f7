import { createHash } from "node:crypto";
import type { FeatureMode } from "@curator/db/client.js";

/** What one `features` queue job carries. */
export interface FeatureBatch {
  trackIds: number[];
  modes: FeatureMode[];
  /** The feature parameter hash the batch was planned against; a worker with other parameters refuses it. */
  paramsHash: string;
}

/** Splits ids (in the given order) into consecutive batches of at most `size`. */
export function splitIntoBatches<T>(ids: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a whole number ≥ 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

/**
 * The batch's singleton key: the same tracks, modes and parameters always give the same key, so the queue holds
 * each batch at most once waiting and once running. Readable prefix, hash for the full id list.
 */
export function batchKey(batch: FeatureBatch): string {
  const modes = [...batch.modes].sort().join("+").toLowerCase();
  const digest = createHash("sha256").update(`${batch.paramsHash}|${modes}|${batch.trackIds.join(",")}`).digest("hex").slice(0, 16);
  return `features:${modes}:${batch.trackIds[0]}-${batch.trackIds.at(-1)}:${digest}`;
}
