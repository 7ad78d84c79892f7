// The protocol of van den Oord et al. (NIPS 2013, Table 1) as one function: every user ranks a fixed set of candidate
// tracks by user factor · item factor, scored against the candidates they played. The cold-start evaluation runs it
// on the held-out tracks; training runs it on its validation tracks each epoch, to choose the epoch by ranking rather
// than by squared error.
import { meanAuc, meanAveragePrecisionAtK } from "./metrics.js";
import { rankItems, scoreItems } from "./ranking.js";

export interface RankingUsers {
  /** Users (ids) who can be scored: at least one relevant candidate and one that is not. */
  users: number[];
  /** Per user in `users`, the candidate indices they played. */
  relevant: Set<number>[];
  /** Users left out because they played every candidate (AUC is undefined for them, AP 1 whatever the order). */
  playedAll: number;
}

/** Groups (user, candidate index) plays into each user's relevant set; users in ascending id order. */
export function rankingUsers(plays: Iterable<{ user: number; candidate: number }>, candidates: number): RankingUsers {
  const byUser = new Map<number, Set<number>>();
  for (const { user, candidate } of plays) {
    if (!Number.isInteger(candidate) || candidate < 0 || candidate >= candidates) {
      throw new RangeError(`play of user ${user}: candidate ${candidate} outside [0, ${candidates})`);
    }
    (byUser.get(user) ?? byUser.set(user, new Set()).get(user)!).add(candidate);
  }
  const users = [...byUser.keys()].filter((u) => byUser.get(u)!.size < candidates).sort((a, b) => a - b);
  return { users, relevant: users.map((u) => byUser.get(u)!), playedAll: byUser.size - users.length };
}

export interface RankingQuality {
  /** Mean AP@mapCutoff over users (the MSD challenge's truncated AP). */
  map: number;
  /** Mean per-user AUC. */
  auc: number;
}

/**
 * Ranks `items` (candidates × k, row-major) for every user by the dot product with their factors and scores the
 * rankings against `relevant` (per user, candidate indices).
 */
export function rankingQuality(
  userFactors: readonly Float32Array[],
  items: Float32Array,
  k: number,
  relevant: readonly ReadonlySet<number>[],
  mapCutoff = 500,
): RankingQuality {
  const candidates = items.length / k;
  const scores = userFactors.map((u) => scoreItems(u, items, k, new Float32Array(candidates)));
  return {
    map: meanAveragePrecisionAtK(scores.map((s) => rankItems(s, new Set(), mapCutoff)), relevant, mapCutoff).value,
    auc: meanAuc(scores, relevant).value,
  };
}
