"""Anchor for bench/search.ts: the same FAISS indexes built and searched by Python faiss-cpu.

Reads the vectors the Node side wrote (raw little-endian float32, row-major), runs the same measurements (progress
on stderr), prints "ready", then answers commands on stdin, one JSON line each, so the caller can alternate its
own rounds with these:
  report  -> the builds, batched q/s and recalls of every index
  single  -> one timed round of single Flat queries (qps, cpu_qps)
Threads follow OMP_NUM_THREADS, which the Node side passes on.
"""
import argparse
import json
import os
import re
import sys
import tempfile
import time

import faiss
import numpy as np

K = 10


def recall(labels, truth):
    hits = sum(len(set(a) & set(b)) for a, b in zip(labels, truth))
    return hits / truth.size


def bytes_per_vector(index, n):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "index")
        faiss.write_index(index, path)
        return os.path.getsize(path) / n


def timed(queries, f):
    t, c = time.perf_counter(), time.process_time()
    out = f()
    return {"qps": queries / (time.perf_counter() - t), "cpu_qps": queries / (time.process_time() - c)}, out


def batched(index, xq):
    t, (_, labels) = timed(len(xq), lambda: index.search(xq, K))
    return t, labels


def with_id_map(description):
    # Mirrors withIdMap in server/src/index/faiss-index.ts: the same index structure on both sides.
    own_ids = re.match(r"^(IVF|IDMap)", description) and not re.search(r",(RFlat|Refine)", description)
    return description if own_ids else "IDMap2," + description


def factory(d, description):
    # As SafeIndex.fromFactory: the id map around the factory's result (its ",RFlat" would otherwise be outermost).
    if description.startswith("IDMap2,"):
        return faiss.IndexIDMap2(factory(d, description[len("IDMap2,"):]))
    return faiss.index_factory(d, description, faiss.METRIC_INNER_PRODUCT)


def build(description, fixed, xb, ids, train_n):
    index = factory(xb.shape[1], with_id_map(description))
    for name, value in fixed:
        faiss.ParameterSpace().set_index_parameter(index, name, value)
    t = time.perf_counter()
    if not index.is_trained:
        index.train(xb[:train_n])
    index.add_with_ids(xb, ids)
    return index, time.perf_counter() - t


def progress(message):
    print(f"faiss-cpu: {message}", file=sys.stderr, flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--d", type=int, required=True)
    p.add_argument("--single", type=int, required=True)
    p.add_argument("--rounds", type=int, default=1, help="timed passes over the single queries")
    p.add_argument("--specs", type=json.loads, required=True, help="bench/search.ts's Spec objects, as JSON")
    a = p.parse_args()

    xb = np.fromfile(a.base, dtype="<f4").reshape(-1, a.d)
    xq = np.fromfile(a.queries, dtype="<f4").reshape(-1, a.d)
    n = len(xb)
    ids = np.arange(n, dtype=np.int64)
    out = {"version": faiss.__version__, "omp_threads": faiss.omp_get_max_threads()}

    flat, build_s = build("Flat", [], xb, ids, 0)
    progress(f"Flat over {n} vectors built in {build_s:.1f} s")
    # Steady state on both sides: untimed passes over the queries, then as many timed ones (ours decides how many).
    # Both sides hand the search its output arrays (FAISS's own convention), as a tight loop would.
    D, I = np.empty((1, K), dtype=np.float32), np.empty((1, K), dtype=np.int64)
    one_by_one = lambda: [flat.search(xq[i : i + 1], K, D=D, I=I) for i in range(a.single)]
    passes = lambda: [one_by_one() for _ in range(a.rounds)]
    passes()
    single, _ = timed(a.single * a.rounds, passes)
    flat.search(xq[:20], K)  # warm-up of the BLAS path FAISS takes from 20 queries
    exact, truth = batched(flat, xq)
    out["flat"] = {"build_s": build_s, "bytes_per_vector": bytes_per_vector(flat, n), "single_qps": single["qps"],
                   "single_cpu_qps": single["cpu_qps"], "batched": exact}

    out["approx"] = []
    for spec in a.specs:
        index, build_s = build(spec["description"], spec["fixed"], xb, ids, spec["train"])
        progress(f"{spec['description']} built in {build_s:.1f} s")
        rows = []
        for value in spec["sweep"]["values"]:
            faiss.ParameterSpace().set_index_parameter(index, spec["sweep"]["name"], value)
            t, labels = batched(index, xq)
            rows.append({"value": value, "recall": recall(labels, truth), **t})
        out["approx"].append({"build_s": build_s, "bytes_per_vector": bytes_per_vector(index, n), "rows": rows})
        del index

    print("ready", flush=True)
    for command in sys.stdin:
        command = command.strip()
        if command == "report":
            print(json.dumps(out), flush=True)
        elif command == "single":
            print(json.dumps(timed(a.single * a.rounds, passes)[0]), flush=True)
        else:
            raise SystemExit(f"search.py: unknown command {command!r}")


if __name__ == "__main__":
    main()
