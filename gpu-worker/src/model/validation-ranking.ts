// The validation AUC a training run reports each epoch (and follows with `monitor: "auc"`): the users of the CF set
// rank the validation tracks by user factor · predicted factor, against the validation tracks they played. The
// listens are the factorisation's own (held-out ones excluded, as the CF set never saw them).
import type { Db } from "@curator/db/client.js";

import { rankingQuality, rankingUsers } from "../evaluation/ranking-quality.js";
import type { LoadedFactorSet } from "../storage/factor-sets.js";

/** Undefined when no user played a validation track without playing them all (nothing to rank). */
export async function validationRanking(
  db: Db,
  cf: LoadedFactorSet,
  validationIds: readonly number[],
): Promise<((predictions: Float32Array) => number) | undefined> {
  if (!cf.users) throw new Error(`CF set #${cf.id} was loaded without its user factors`);
  const k = cf.dims;
  const candidate = new Map(validationIds.map((id, i) => [id, i]));
  const userRow = new Map(Array.from(cf.users.userIds, (id, i) => [id, i]));
  const listens = await db.listen.findMany({
    where: { heldOut: false, trackId: { in: [...validationIds] } },
    select: { userId: true, trackId: true },
  });
  const plays = listens.filter((l) => userRow.has(l.userId)).map((l) => ({ user: l.userId, candidate: candidate.get(l.trackId)! }));
  const { users, relevant } = rankingUsers(plays, validationIds.length);
  if (users.length === 0) return undefined;
  const raw = cf.users.raw;
  const userFactors = users.map((u) => raw.subarray(userRow.get(u)! * k, (userRow.get(u)! + 1) * k));
  return (predictions) => rankingQuality(userFactors, predictions, k, relevant).auc;
}
