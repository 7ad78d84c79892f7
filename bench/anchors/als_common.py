"""Shared by the ALS anchors (als_cg.py, als_implicit.py): the bench's matrix, start factors and parameters from
DIR (rows.npy, cols.npy, counts.npy: COO play counts, duplicates summed; users0.npy, items0.npy; params.json
{users, items, factors, iterations, regularization, alpha, cgSteps}), and benfred/implicit's normalised loss."""
import json

import numpy as np
import scipy.sparse as sp


def load(d):
    params = json.load(open(f"{d}/params.json"))
    shape = (params["users"], params["items"])
    R = sp.csr_matrix((np.load(f"{d}/counts.npy"), (np.load(f"{d}/rows.npy"), np.load(f"{d}/cols.npy"))), shape=shape)
    R.sum_duplicates()
    Cui = R.copy()
    Cui.data = (1 + params["alpha"] * R.data).astype(np.float32)
    return params, Cui, np.load(f"{d}/users0.npy"), np.load(f"{d}/items0.npy")


def loss(Cui, X, Y, lam):
    """benfred/implicit's normalised weighted loss, computed in float64 from the sparse entries."""
    Xd, Yd = X.astype(np.float64), Y.astype(np.float64)
    owner = np.repeat(np.arange(Cui.shape[0]), np.diff(Cui.indptr))
    dots = np.einsum("ij,ij->i", Yd[Cui.indices], Xd[owner])
    c = Cui.data.astype(np.float64)
    total = np.einsum("ij,jk,ik->", Xd, Yd.T @ Yd, Xd) + np.sum((c - 1) * dots**2 - 2 * c * dots + c)
    total += lam * (np.sum(Xd * Xd) + np.sum(Yd * Yd))
    return total / (c.sum() + Cui.shape[0] * Cui.shape[1] - Cui.nnz)
