"""The Dieleman (2014) convnet of gpu-worker/src/model/architecture.ts in PyTorch, for the train and predict
anchors: conv1d over time with mel bands as channels (valid, ReLU), max-pooling between convs, global temporal
pooling (mean, max, L2 norm) concatenated, ReLU dense layers with dropout, linear output.

Shapes follow PyTorch (batch, channels, time); sizes come from the same options as the TypeScript preset.
"""
import json
import os
import sys

L2_EPSILON = 1e-12


def set_threads(threads):
    """Before importing torch: OpenMP/MKL pools read these at load time."""
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(threads)
    import torch

    torch.set_num_threads(threads)
    torch.set_num_interop_threads(threads)
    return torch


def pick_device(torch, name):
    """"cpu" or "cuda" (the accelerator, when the machine has one); timing on cuda must synchronize, since kernels
    run asynchronously and a wall-clock read would otherwise stop before they finish."""
    if name == "cuda" and not torch.cuda.is_available():
        sys.exit("--device cuda: PyTorch sees no CUDA device on this machine")
    device = torch.device(name)
    label = torch.cuda.get_device_name(device) if name == "cuda" else "cpu"
    sync = torch.cuda.synchronize if name == "cuda" else (lambda: None)
    return device, label, sync


def build(torch, options):
    nn = torch.nn

    class GlobalTemporalPooling(nn.Module):
        def forward(self, x):
            l2 = torch.sqrt(torch.sum(x * x, dim=2) + L2_EPSILON)
            return torch.cat([x.mean(dim=2), x.amax(dim=2), l2], dim=1)

    layers = []
    channels = options["melBins"]
    for i, filters in enumerate(options["convFilters"]):
        layers += [nn.Conv1d(channels, filters, options["kernelWidth"]), nn.ReLU()]
        if i < len(options["poolSizes"]):
            layers.append(nn.MaxPool1d(options["poolSizes"][i]))
        channels = filters
    layers.append(GlobalTemporalPooling())
    width = 3 * channels
    for units in options["denseUnits"]:
        layers += [nn.Linear(width, units), nn.ReLU(), nn.Dropout(options["dropout"])]
        width = units
    layers.append(nn.Linear(width, options["outputDims"]))
    return nn.Sequential(*layers)


def report(result):
    print(json.dumps(result))
    sys.stdout.flush()
