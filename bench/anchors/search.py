"""Anchor for bench/search.ts: the same FAISS indexes built and searched by Python faiss-cpu.

Reads the vectors the Node side wrote (raw little-endian float32, row-major), runs the same measurements,
and prints one JSON object. Threads follow OMP_NUM_THREADS, which the Node side passes on.
"""
import argparse
import json
import os
import tempfile
import time

import faiss
import numpy as np

K = 10


def ints(s):
    return [int(v) for v in s.split(",") if v]


def recall(labels, truth):
    hits = sum(len(set(a) & set(b)) for a, b in zip(labels, truth))
    return hits / truth.size


def bytes_per_vector(index, n):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "index")
        faiss.write_index(index, path)
        return os.path.getsize(path) / n


def batched_qps(index, xq):
    t = time.perf_counter()
    _, labels = index.search(xq, K)
    return len(xq) / (time.perf_counter() - t), labels


def build(description, xb, ids, train_n):
    index = faiss.index_factory(xb.shape[1], description, faiss.METRIC_INNER_PRODUCT)
    t = time.perf_counter()
    if not index.is_trained:
        index.train(xb[:train_n])
    index.add_with_ids(xb, ids)
    return index, time.perf_counter() - t


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--d", type=int, required=True)
    p.add_argument("--single", type=int, required=True)
    p.add_argument("--nlist", type=int, required=True)
    p.add_argument("--train", type=int, required=True)
    p.add_argument("--nprobe", type=ints, required=True)
    p.add_argument("--ef-search", type=ints, required=True)
    a = p.parse_args()

    xb = np.fromfile(a.base, dtype="<f4").reshape(-1, a.d)
    xq = np.fromfile(a.queries, dtype="<f4").reshape(-1, a.d)
    n = len(xb)
    ids = np.arange(n, dtype=np.int64)
    out = {"version": faiss.__version__, "omp_threads": faiss.omp_get_max_threads()}

    flat, build_s = build("IDMap2,Flat", xb, ids, a.train)
    flat.search(xq[:1], K)  # warm-up
    t = time.perf_counter()
    for i in range(a.single):
        flat.search(xq[i : i + 1], K)
    single = a.single / (time.perf_counter() - t)
    flat.search(xq[:20], K)  # warm-up of the BLAS path FAISS takes from 20 queries
    batched, truth = batched_qps(flat, xq)
    out["flat"] = {"build_s": build_s, "bytes_per_vector": bytes_per_vector(flat, n), "single_qps": single,
                   "batched_qps": batched}
    del flat

    ivf, build_s = build(f"IVF{a.nlist},Flat", xb, ids, a.train)
    rows = []
    for nprobe in a.nprobe:
        ivf.nprobe = nprobe
        qps, labels = batched_qps(ivf, xq)
        rows.append({"nprobe": nprobe, "recall": recall(labels, truth), "batched_qps": qps})
    out["ivf"] = {"build_s": build_s, "bytes_per_vector": bytes_per_vector(ivf, n), "rows": rows}
    del ivf

    hnsw, build_s = build("IDMap2,HNSW32", xb, ids, a.train)
    rows = []
    for ef in a.ef_search:
        faiss.ParameterSpace().set_index_parameter(hnsw, "efSearch", ef)
        qps, labels = batched_qps(hnsw, xq)
        rows.append({"efSearch": ef, "recall": recall(labels, truth), "batched_qps": qps})
    out["hnsw"] = {"build_s": build_s, "bytes_per_vector": bytes_per_vector(hnsw, n), "rows": rows}

    print(json.dumps(out))


if __name__ == "__main__":
    main()
