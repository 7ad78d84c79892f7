"""NumPy/SciPy anchor for bench/als.ts: the same implicit-ALS conjugate-gradient update (benfred/implicit's
least_squares_cg: warm start, YtY + lambda*I once per half, cg_steps per row, stop a row below 1e-20), in
float32, written the way NumPy wants it: all rows' CG steps advance together as dense (rows x k) arrays, the
sparse sums as CSR x dense products.

Usage: python als_cg.py DIR (see als_common.py for what DIR holds). Prints one JSON line: per-iteration wall
and CPU seconds and the final loss.
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp

from als_common import load, loss

params, Cui, X, Y = load(sys.argv[1])
lam, steps = params["regularization"], params["cgSteps"]
Ciu = Cui.T.tocsr()


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


wall, cpu = [], []
for _ in range(params["iterations"]):
    w0, c0 = time.perf_counter(), time.process_time()
    cg_half(Cui, X, Y)
    cg_half(Ciu, Y, X)
    wall.append(time.perf_counter() - w0)
    cpu.append(time.process_time() - c0)
print(json.dumps({"wall": wall, "cpu": cpu, "loss": loss(Cui, X, Y, lam), "nnz": int(Cui.nnz)}))
