"""Reference for rankingQuality (test/unit/ranking-quality.test.ts): users rank candidate items by the dot product
of factors, scored by mean AP@cutoff and mean AUC, in NumPy.

Reads JSON from stdin: {"users": [[...], ...], "items": [[...], ...], "relevant": [[...], ...], "cutoff": int}.
Prints {"map": float, "auc": float}.
"""
import json
import sys

import numpy as np

from ranking_metrics import at_k, pair_auc

q = json.load(sys.stdin)
scores = np.asarray(q["users"], dtype=np.float64) @ np.asarray(q["items"], dtype=np.float64).T
aps, aucs = [], []
for row, relevant in zip(scores, q["relevant"]):
    # Best first, ties by item index.
    ranking = np.lexsort((np.arange(len(row)), -row)).tolist()
    aps.append(at_k(ranking, relevant, q["cutoff"])[2])
    aucs.append(pair_auc(row, relevant))
print(json.dumps({"map": float(np.mean(aps)), "auc": float(np.mean(aucs))}))
