"""Reference for test/integration/model.test.ts: the forward pass (eval mode) of the same weights in PyTorch,
through the network definition of bench/anchors/convnet_torch.py.

Usage: python convnet_forward.py DIR
DIR holds options.json (ModelOptions), weights.json (shapes in tfjs order and layout), weights.bin (float32,
concatenated) and input.bin (float32, batch x frames x melBins). Prints JSON: the outputs, batch x outputDims,
row-major, computed in float64.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench", "anchors"))
from convnet_torch import build, set_threads  # noqa: E402

d = sys.argv[1]
torch = set_threads(1)
options = json.load(open(f"{d}/options.json"))
shapes = json.load(open(f"{d}/weights.json"))
flat = np.fromfile(f"{d}/weights.bin", dtype=np.float32)
model = build(torch, options).double().eval()
params = list(model.parameters())
assert len(params) == len(shapes), (len(params), len(shapes))
offset = 0
with torch.no_grad():
    for p, shape in zip(params, shapes):
        size = int(np.prod(shape))
        w = flat[offset : offset + size].reshape(shape)
        offset += size
        # tfjs: conv kernels [width, in, out], dense kernels [in, out]; PyTorch: [out, in, width], [out, in].
        if w.ndim == 3:
            w = w.transpose(2, 1, 0)
        elif w.ndim == 2:
            w = w.T
        p.copy_(torch.from_numpy(np.ascontiguousarray(w)).double())
    x = np.fromfile(f"{d}/input.bin", dtype=np.float32).reshape(-1, options["cropFrames"], options["melBins"])
    y = model(torch.from_numpy(x.transpose(0, 2, 1).copy()).double())
print(json.dumps(y.numpy().ravel().tolist()))
