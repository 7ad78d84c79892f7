"""Reference for the ranking metrics of test/unit/als.test.ts, written independently in NumPy.

Reads JSON from stdin: {"k": int, "users": [{"ranking": [...], "relevant": [...], "scores": [...],
"exclude": [...]}]}. Prints JSON lists "recall", "ndcg", "ap" (at k) and "auc" (per user, by counting all
relevant/non-relevant pairs, ties 1/2).
"""
import json
import sys

import numpy as np

q = json.load(sys.stdin)
k = q["k"]
out = {"recall": [], "ndcg": [], "ap": [], "auc": []}
for user in q["users"]:
    top = np.asarray(user["ranking"][:k])
    rel = np.isin(top, np.asarray(user["relevant"])).astype(np.float64)
    n_rel = len(user["relevant"])
    out["recall"].append(float(rel.sum() / n_rel))
    discounts = 1.0 / np.log2(np.arange(2, len(top) + 2))
    ideal = (1.0 / np.log2(np.arange(2, min(k, n_rel) + 2))).sum()
    out["ndcg"].append(float((rel * discounts).sum() / ideal))
    precision = np.cumsum(rel) / np.arange(1, len(top) + 1)
    out["ap"].append(float((precision * rel).sum() / min(k, n_rel)))

    scores = np.asarray(user["scores"], dtype=np.float64)
    keep = np.ones(len(scores), dtype=bool)
    keep[np.asarray(user["exclude"], dtype=int)] = False
    is_rel = np.zeros(len(scores), dtype=bool)
    is_rel[np.asarray(user["relevant"], dtype=int)] = True
    pos = scores[keep & is_rel]
    neg = scores[keep & ~is_rel]
    diff = pos[:, None] - neg[None, :]
    out["auc"].append(float(((diff > 0) + 0.5 * (diff == 0)).mean()))
print(json.dumps(out))
