"""NumPy/SciPy anchor for bench/als.ts: the same implicit-ALS conjugate-gradient update (benfred/implicit's
least_squares_cg: warm start, YtY + lambda*I once per half, cg_steps per row, stop a row below 1e-20), in
float32, written the way NumPy wants it: all rows' CG steps advance together as dense (rows x k) arrays, the
sparse sums as CSR x dense products.

Usage: python als_cg.py DIR. DIR holds rows.npy, cols.npy, counts.npy (COO play counts; duplicates summed),
users0.npy, items0.npy (initial factors) and params.json {users, items, factors, iterations, regularization,
alpha, cgSteps}. Prints one JSON line: per-iteration wall and CPU seconds and the final loss.
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp

d = sys.argv[1]
params = json.load(open(f"{d}/params.json"))
shape = (params["users"], params["items"])
lam, alpha, steps = params["regularization"], params["alpha"], params["cgSteps"]
R = sp.csr_matrix((np.load(f"{d}/counts.npy"), (np.load(f"{d}/rows.npy"), np.load(f"{d}/cols.npy"))), shape=shape)
R.sum_duplicates()
Cui = R.copy()
Cui.data = (1 + alpha * R.data).astype(np.float32)
Ciu = Cui.T.tocsr()
X = np.load(f"{d}/users0.npy")
Y = np.load(f"{d}/items0.npy")


def cg_half(C, X, Y):
    n, k = X.shape
    YtY = Y.T @ Y + np.float32(lam) * np.eye(k, dtype=np.float32)
    owner = np.repeat(np.arange(n), np.diff(C.indptr))
    Yg = Y[C.indices]
    c = C.data

    def weighted_sum(w):  # row u: sum over its entries of w_ui * y_i
        return sp.csr_matrix((w, C.indices, C.indptr), shape=C.shape) @ Y

    def entry_dots(V):  # v_u . y_i for every stored (u, i)
        return np.einsum("ij,ij->i", Yg, V[owner])

    nonempty = np.diff(C.indptr) > 0
    r = weighted_sum(c - (c - 1) * entry_dots(X)) - X @ YtY
    p = r.copy()
    rs_old = np.einsum("ij,ij->i", r, r)
    active = nonempty & (rs_old >= 1e-20)
    for _ in range(steps):
        Ap = p @ YtY + weighted_sum((c - 1) * entry_dots(p))
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.where(active, rs_old / np.einsum("ij,ij->i", p, Ap), 0).astype(np.float32)
        X += a[:, None] * p
        r -= a[:, None] * Ap
        rs_new = np.einsum("ij,ij->i", r, r)
        active &= rs_new >= 1e-20
        with np.errstate(divide="ignore", invalid="ignore"):
            beta = np.where(active, rs_new / rs_old, 0).astype(np.float32)
        p = r + beta[:, None] * p
        rs_old = rs_new
    X[~nonempty] = 0


def loss():
    """benfred/implicit's normalised weighted loss, computed in float64 from the sparse entries."""
    Xd, Yd = X.astype(np.float64), Y.astype(np.float64)
    owner = np.repeat(np.arange(shape[0]), np.diff(Cui.indptr))
    dots = np.einsum("ij,ij->i", Yd[Cui.indices], Xd[owner])
    c = Cui.data.astype(np.float64)
    total = np.einsum("ij,jk,ik->", Xd, Yd.T @ Yd, Xd) + np.sum((c - 1) * dots**2 - 2 * c * dots + c)
    total += lam * (np.sum(Xd * Xd) + np.sum(Yd * Yd))
    return total / (c.sum() + shape[0] * shape[1] - Cui.nnz)


wall, cpu = [], []
for _ in range(params["iterations"]):
    w0, c0 = time.perf_counter(), time.process_time()
    cg_half(Cui, X, Y)
    cg_half(Ciu, Y, X)
    wall.append(time.perf_counter() - w0)
    cpu.append(time.process_time() - c0)
print(json.dumps({"wall": wall, "cpu": cpu, "loss": loss(), "nnz": int(Cui.nnz)}))
