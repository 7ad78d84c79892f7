"""benfred/implicit anchor for bench/als.ts (ALS_BENCH_ANCHOR=implicit): implicit's CPU ALS with its CG solver, one
thread, on the bench's matrix and start factors (DIR, see als_common.py). implicit takes the confidence as the
stored value, so it is handed 1 + alpha * count with alpha=1: the same C as ours and als_cg.py. Not installable
from this machine's wheel index; run it where `pip install implicit==0.7.3` works. Prints one JSON line like
als_cg.py's.
"""
import json
import sys
import time

import numpy as np
from implicit.cpu.als import AlternatingLeastSquares
from threadpoolctl import threadpool_limits

from als_common import load, loss

params, Cui, X, Y = load(sys.argv[1])
model = AlternatingLeastSquares(
    factors=params["factors"],
    regularization=params["regularization"],
    alpha=1.0,
    use_cg=True,
    iterations=params["iterations"],
    num_threads=1,
)
model.cg_steps = params["cgSteps"]
model.user_factors, model.item_factors = X.copy(), Y.copy()
wall, cpu = [], []
mark = [time.perf_counter(), time.process_time()]


def on_iteration(*_):
    now = [time.perf_counter(), time.process_time()]
    wall.append(now[0] - mark[0])
    cpu.append(now[1] - mark[1])
    mark[:] = now


with threadpool_limits(1, "blas"):
    mark[:] = [time.perf_counter(), time.process_time()]
    model.fit(Cui, show_progress=False, callback=on_iteration)
print(json.dumps({"wall": wall, "cpu": cpu, "loss": loss(Cui, model.user_factors, model.item_factors, params["regularization"]),
                  "nnz": int(Cui.nnz), "version": __import__("implicit").__version__}))
