"""Reference for test/unit/als.test.ts: one exact ALS half-iteration and the dense weighted loss, in NumPy.

Usage: python als_half_step.py DIR LAMBDA
DIR holds indptr.npy, indices.npy, confidence.npy (CSR users x items of confidences), target.npy (users x k)
and fixed.npy (items x k). Prints JSON: "solved" = the users solved exactly against fixed items (float64,
row-major), "loss" = the normalised weighted loss of (target, fixed), both from dense matrices.
"""
import json
import sys

import numpy as np

d, lam = sys.argv[1], float(sys.argv[2])
indptr = np.load(f"{d}/indptr.npy")
indices = np.load(f"{d}/indices.npy")
conf = np.load(f"{d}/confidence.npy").astype(np.float64)
X = np.load(f"{d}/target.npy").astype(np.float64)
Y = np.load(f"{d}/fixed.npy").astype(np.float64)
users, k = X.shape
items = Y.shape[0]

C = np.ones((users, items))
P = np.zeros((users, items))
for u in range(users):
    for j in range(indptr[u], indptr[u + 1]):
        C[u, indices[j]] = conf[j]
        P[u, indices[j]] = 1.0

solved = np.zeros_like(X)
for u in range(users):
    if indptr[u] == indptr[u + 1]:
        continue
    A = Y.T @ (C[u][:, None] * Y) + lam * np.eye(k)
    b = Y.T @ (C[u] * P[u])
    solved[u] = np.linalg.solve(A, b)

loss = (np.sum(C * (P - X @ Y.T) ** 2) + lam * (np.sum(X * X) + np.sum(Y * Y))) / np.sum(C)
print(json.dumps({"solved": solved.ravel().tolist(), "loss": float(loss)}))
