"""NT-Xent (SimCLR's InfoNCE) in PyTorch, float64: the reference for gpu-worker/src/model/contrastive.ts.

Usage: nt_xent.py DIR. DIR/input.json holds {"a": [[...]], "b": [[...]], "temperature": t}; prints a JSON object
{"loss": L, "grad_a": [[...]], "grad_b": [[...]]}: the mean cross-entropy over the 2n views, each classifying its
twin among the other 2n - 1 by cosine similarity / t, and its gradients (torch.autograd).
"""
import json
import sys

import torch
import torch.nn.functional as F

with open(f"{sys.argv[1]}/input.json") as f:
    data = json.load(f)
a = torch.tensor(data["a"], dtype=torch.float64, requires_grad=True)
b = torch.tensor(data["b"], dtype=torch.float64, requires_grad=True)
n = a.shape[0]
z = F.normalize(torch.cat([a, b]), dim=1)
logits = z @ z.T / data["temperature"]
logits = logits.masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
loss = F.cross_entropy(logits, targets)
loss.backward()
print(json.dumps({"loss": loss.item(), "grad_a": a.grad.tolist(), "grad_b": b.grad.tolist()}))
