"""The Dieleman (2014) convnet of gpu-worker/src/model/architecture.ts in PyTorch, for the train and predict
anchors: conv1d over time with mel bands as channels (valid, ReLU), max-pooling between convs, global temporal
pooling (mean, max, L2 norm) concatenated, ReLU dense layers with dropout, linear output.

Shapes follow PyTorch (batch, channels, time); sizes come from the same options as the TypeScript preset.
"""
import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable

L2_EPSILON = 1e-12


def set_threads(threads):
    """Before importing torch: OpenMP/MKL pools read these at load time."""
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(threads)
    import torch

    torch.set_num_threads(threads)
    torch.set_num_interop_threads(threads)
    return torch


def anchor_parser():
    """The flags both anchors take from bench/support/convnet.ts; each adds its own."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--options", required=True, help="model options as JSON (architecture.ts ModelOptions)")
    parser.add_argument("--frames", type=int, required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    return parser


@dataclass
class Anchor:
    torch: Any
    options: dict
    model: Any
    device: Any
    label: str
    sync: Callable[[], None]

    def report(self, figures):
        report({"version": self.torch.__version__, "device": self.label, "threads": self.torch.get_num_threads(), **figures})

    def time_steps(self, step, warmup, steps):
        """Runs `warmup` untimed steps, then times each of `steps` on its own (synced, so cuda kernels are counted)
        for the caller's median, and reports the mean wall, each step's wall and the CPU seconds per step."""
        for _ in range(warmup):
            step()
        self.sync()
        walls, cpu = [], time.process_time()
        for _ in range(steps):
            started = time.perf_counter()
            step()
            self.sync()
            walls.append(time.perf_counter() - started)
        cpu = time.process_time() - cpu
        self.report({"wall_s_per_step": sum(walls) / steps, "step_wall_s": walls, "cpu_s_per_step": cpu / steps})


def anchor_model(args):
    """The seeded network on "cpu" or "cuda" (the accelerator, when the machine has one). Timing on cuda must call
    sync, since kernels run asynchronously and a wall-clock read would otherwise stop before they finish."""
    torch = set_threads(args.threads)
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("--device cuda: PyTorch sees no CUDA device on this machine")
    device = torch.device(args.device)
    options = json.loads(args.options)
    torch.manual_seed(0)
    return Anchor(
        torch=torch,
        options=options,
        model=build(torch, options).to(device),
        device=device,
        label=torch.cuda.get_device_name(device) if args.device == "cuda" else "cpu",
        sync=torch.cuda.synchronize if args.device == "cuda" else (lambda: None),
    )


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
