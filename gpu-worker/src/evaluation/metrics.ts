/**
 * Ranking metrics for recommendation with binary relevance. A user's ranking is a list of item ids, best
 * first; `relevant` is the set of held-out items the user actually played. Per-user functions require a
 * non-empty relevant set; the `mean*` functions skip users without one (they cannot be scored) and say how
 * many they averaged.
 */

export interface MeanMetric {
  /** Mean over `users` scored users; NaN when none could be scored. */
  readonly value: number;
  readonly users: number;
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer ≥ 1, got ${k}`);
}

function checkRelevant(relevant: ReadonlySet<number>): void {
  if (relevant.size === 0) throw new RangeError("relevant set is empty: the metric is undefined");
}

/** recall@k = |top-k ∩ relevant| / |relevant|. */
export function recallAtK(ranking: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  checkK(k);
  checkRelevant(relevant);
  let hits = 0;
  const n = Math.min(k, ranking.length);
  for (let j = 0; j < n; j++) if (relevant.has(ranking[j]!)) hits++;
  return hits / relevant.size;
}

/**
 * nDCG@k = DCG@k / IDCG@k with DCG@k = Σ_{j<k} rel_j / log2(j + 2) (rank j 0-based, rel ∈ {0, 1}) and IDCG@k
 * the DCG of a ranking with all relevant items first, i.e. Σ_{j<min(k,|relevant|)} 1 / log2(j + 2).
 */
export function ndcgAtK(ranking: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  checkK(k);
  checkRelevant(relevant);
  let dcg = 0;
  const n = Math.min(k, ranking.length);
  for (let j = 0; j < n; j++) if (relevant.has(ranking[j]!)) dcg += 1 / Math.log2(j + 2);
  let ideal = 0;
  const m = Math.min(k, relevant.size);
  for (let j = 0; j < m; j++) ideal += 1 / Math.log2(j + 2);
  return dcg / ideal;
}

/**
 * AP@k = (1 / min(k, |relevant|)) · Σ_{j=1..k} P@j · rel_j, with P@j the precision of the first j items:
 * the truncated average precision of the Million Song Dataset Challenge (McFee et al. 2012), whose mAP@500
 * van den Oord et al. (NIPS 2013) report. A perfect ranking scores 1 even when |relevant| > k.
 */
export function averagePrecisionAtK(ranking: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  checkK(k);
  checkRelevant(relevant);
  let hits = 0;
  let sum = 0;
  const n = Math.min(k, ranking.length);
  for (let j = 0; j < n; j++) {
    if (relevant.has(ranking[j]!)) {
      hits++;
      sum += hits / (j + 1);
    }
  }
  return sum / Math.min(k, relevant.size);
}

/**
 * Per-user AUC: the probability that a random relevant candidate scores above a random non-relevant one,
 * ties counting ½ (Mann–Whitney U / (n₊·n₋), computed from average ranks in O(n log n)). Candidates are all
 * indices of `scores` except those in `exclude` (e.g. the user's training items). Relevant ids must be
 * candidates, and at least one non-relevant candidate must remain.
 */
export function auc(scores: ArrayLike<number>, relevant: ReadonlySet<number>, exclude: ReadonlySet<number> = new Set()): number {
  checkRelevant(relevant);
  const candidates: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (exclude.has(i)) continue;
    if (Number.isNaN(scores[i]!)) throw new RangeError(`score of item ${i} is NaN`);
    candidates.push(i);
  }
  for (const i of relevant) {
    if (!Number.isInteger(i) || i < 0 || i >= scores.length) throw new RangeError(`relevant item ${i} outside [0, ${scores.length})`);
    if (exclude.has(i)) throw new RangeError(`relevant item ${i} is also excluded`);
  }
  const positives = relevant.size;
  const negatives = candidates.length - positives;
  if (negatives === 0) throw new RangeError("no non-relevant candidates: AUC is undefined");
  candidates.sort((a, b) => scores[a]! - scores[b]!);
  // Sum of 1-based ranks of the relevant items, tied scores sharing their average rank.
  let rankSum = 0;
  for (let lo = 0; lo < candidates.length; ) {
    let hi = lo + 1;
    while (hi < candidates.length && scores[candidates[hi]!] === scores[candidates[lo]!]) hi++;
    const averageRank = (lo + 1 + hi) / 2;
    for (let j = lo; j < hi; j++) if (relevant.has(candidates[j]!)) rankSum += averageRank;
    lo = hi;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function meanOver<T>(
  perUser: readonly T[],
  relevant: readonly ReadonlySet<number>[],
  score: (item: T, rel: ReadonlySet<number>) => number,
): MeanMetric {
  if (perUser.length !== relevant.length) {
    throw new RangeError(`${perUser.length} users ranked but ${relevant.length} relevant sets given`);
  }
  let sum = 0;
  let users = 0;
  for (let u = 0; u < perUser.length; u++) {
    const rel = relevant[u]!;
    if (rel.size === 0) continue;
    sum += score(perUser[u]!, rel);
    users++;
  }
  return { value: users === 0 ? Number.NaN : sum / users, users };
}

/** mAP@k: AP@k averaged over users with at least one relevant item (the NIPS 2013 paper reports k = 500). */
export function meanAveragePrecisionAtK(
  rankings: readonly ArrayLike<number>[],
  relevant: readonly ReadonlySet<number>[],
  k: number,
): MeanMetric {
  return meanOver(rankings, relevant, (r, rel) => averagePrecisionAtK(r, rel, k));
}

export function meanRecallAtK(rankings: readonly ArrayLike<number>[], relevant: readonly ReadonlySet<number>[], k: number): MeanMetric {
  return meanOver(rankings, relevant, (r, rel) => recallAtK(r, rel, k));
}

export function meanNdcgAtK(rankings: readonly ArrayLike<number>[], relevant: readonly ReadonlySet<number>[], k: number): MeanMetric {
  return meanOver(rankings, relevant, (r, rel) => ndcgAtK(r, rel, k));
}

/** AUC averaged over users (each user's AUC weighted equally), `exclude[u]` removed from user u's candidates. */
export function meanAuc(
  scores: readonly ArrayLike<number>[],
  relevant: readonly ReadonlySet<number>[],
  exclude: readonly ReadonlySet<number>[] = [],
): MeanMetric {
  const users = scores.map((s, u) => ({ s, ex: exclude[u] ?? new Set<number>() }));
  return meanOver(users, relevant, ({ s, ex }, rel) => auc(s, rel, ex));
}
