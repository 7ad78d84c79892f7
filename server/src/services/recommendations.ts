// Personalised recommendations for one user from the active CF set, with cold tracks scored through their
// predicted factors.
import type { Db } from "@curator/db/client.js";
import type { IndexRegistry } from "../index/registry.js";
import { recommend, type Recommended } from "../similarity/recommend.js";
import { failedPrecondition, notFound } from "../errors.js";
import { findSpace, requireSpace } from "./spaces.js";
import { setCalibration } from "./audio-model.js";

export interface RecommendOptions {
  k: number;
  /** Also rank tracks without CF factors, through their predicted factors (default true). */
  includeCold?: boolean;
  /** Only those ("new releases for you"). */
  onlyCold?: boolean;
  /**
   * Leave out tracks with an OPEN or CONFIRMED outlier flag (intro, outro, interlude, cover, remix). `curator
   * outliers` keeps OPEN flags only at or above its decision threshold, so the flag's existence is the decision;
   * a CONFIRMED flag is an editor's decision, whatever its score.
   */
  excludeFlagged?: boolean;
  /** The discovery dial: at most this many cold tracks in the list (default: as many as score high enough). */
  maxCold?: number;
}

async function flaggedTrackIds(db: Db): Promise<number[]> {
  const flags = await db.outlierFlag.findMany({ where: { status: { in: ["OPEN", "CONFIRMED"] } }, select: { trackId: true }, distinct: ["trackId"] });
  return flags.map((f) => f.trackId);
}

export async function recommendForUser(db: Db, registry: IndexRegistry, userId: number, options: RecommendOptions): Promise<Recommended[]> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!user) throw notFound(`user ${userId} not found`);
  const cf = await requireSpace(registry, "CF");
  const userRow = cf.users?.rowOf.get(userId);
  if (userRow === undefined || !cf.users) {
    throw failedPrecondition(`user ${userId} has no factors in CF set #${cf.setId} (no training listens when it was fitted)`);
  }
  const wantCold = options.onlyCold === true || options.includeCold !== false;
  const predicted = wantCold ? await findSpace(registry, "PREDICTED_MIDDLE") : undefined;
  if (options.onlyCold && !predicted) throw failedPrecondition("no active PREDICTED_MIDDLE factor set: cold tracks cannot be scored; run `curator predict` first");
  if (predicted && predicted.dims !== cf.dims) {
    throw failedPrecondition(`predicted set #${predicted.setId} has ${predicted.dims} dimensions, CF set #${cf.setId} has ${cf.dims}: predict again from a model trained on this CF set`);
  }
  // Held-out listens are the cold-start test split: those tracks stay recommendable, so evaluation can see them.
  const training = await db.listen.findMany({ where: { userId, heldOut: false }, select: { trackId: true } });
  // Excluded before ranking, so the list is still k long when there are enough other tracks.
  const flagged = options.excludeFlagged ? await flaggedTrackIds(db) : [];
  const missing = await registry.missing.get();
  // Cold scores go onto the CF scale through the model's calibration; sets predicted before it existed (and
  // ensembles) keep the older rule, a unit prediction scaled to the median warm norm.
  const calibration = predicted ? await setCalibration(db, predicted.setId) : undefined;
  return recommend({
    user: cf.users.raw.subarray(userRow * cf.dims, (userRow + 1) * cf.dims),
    cf,
    ...(predicted ? { predicted } : {}),
    coldScale: cf.medianNorm,
    ...(calibration ? { calibration } : {}),
    ...(options.maxCold !== undefined ? { maxCold: options.maxCold } : {}),
    exclude: new Set([...training.map((l) => l.trackId), ...flagged, ...missing]),
    select: options.onlyCold ? "cold" : wantCold ? "all" : "warm",
    k: options.k,
  });
}
