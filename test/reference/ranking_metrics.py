"""Reference for the ranking metrics of test/unit/als.test.ts, written independently in NumPy.

Reads JSON from stdin: {"k": int, "users": [{"ranking": [...], "relevant": [...], "scores": [...],
"exclude": [...]}]}. Prints JSON lists "recall", "ndcg", "ap" (at k) and "auc" (per user, by counting all
relevant/non-relevant pairs, ties 1/2). ranking_quality.py imports the per-user functions.
"""
import json
import sys

import numpy as np


def at_k(ranking, relevant, k):
    """recall@k, nDCG@k and AP@k of one ranking (item ids, best first)."""
    top = np.asarray(ranking[:k])
    rel = np.isin(top, np.asarray(relevant)).astype(np.float64)
    n_rel = len(relevant)
    discounts = 1.0 / np.log2(np.arange(2, len(top) + 2))
    ideal = (1.0 / np.log2(np.arange(2, min(k, n_rel) + 2))).sum()
    precision = np.cumsum(rel) / np.arange(1, len(top) + 1)
    return float(rel.sum() / n_rel), float((rel * discounts).sum() / ideal), float((precision * rel).sum() / min(k, n_rel))


def pair_auc(scores, relevant, exclude=()):
    """Share of (relevant, non-relevant) pairs ordered right by the scores, ties 1/2."""
    scores = np.asarray(scores, dtype=np.float64)
    keep = np.ones(len(scores), dtype=bool)
    keep[np.asarray(exclude, dtype=int)] = False
    is_rel = np.zeros(len(scores), dtype=bool)
    is_rel[np.asarray(relevant, dtype=int)] = True
    diff = scores[keep & is_rel][:, None] - scores[keep & ~is_rel][None, :]
    return float(((diff > 0) + 0.5 * (diff == 0)).mean())


if __name__ == "__main__":
    q = json.load(sys.stdin)
    out = {"recall": [], "ndcg": [], "ap": [], "auc": []}
    for user in q["users"]:
        recall, ndcg, ap = at_k(user["ranking"], user["relevant"], q["k"])
        out["recall"].append(recall)
        out["ndcg"].append(ndcg)
        out["ap"].append(ap)
        out["auc"].append(pair_auc(user["scores"], user["relevant"], user["exclude"]))
    print(json.dumps(out))
