"""Anchor for bench/train.ts: seconds per SGD step (Nesterov momentum 0.9, MSE) of the same network in PyTorch
CPU (or CUDA, --device cuda), on random inputs of the same shape. Warm-up steps are excluded. Prints one JSON object.
"""
import argparse
import json
import time

from convnet_torch import build, pick_device, report, set_threads

parser = argparse.ArgumentParser()
parser.add_argument("--options", required=True, help="model options as JSON (architecture.ts ModelOptions)")
parser.add_argument("--frames", type=int, required=True)
parser.add_argument("--batch", type=int, required=True)
parser.add_argument("--warmup", type=int, required=True)
parser.add_argument("--steps", type=int, required=True)
parser.add_argument("--threads", type=int, required=True)
parser.add_argument("--lr", type=float, default=0.01)
parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
args = parser.parse_args()

torch = set_threads(args.threads)
device, device_label, sync = pick_device(torch, args.device)
options = json.loads(args.options)
torch.manual_seed(0)
model = build(torch, options).to(device)
model.train()
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True)
loss_fn = torch.nn.MSELoss()
x = torch.randn(args.batch, options["melBins"], args.frames).abs().to(device)
y = torch.nn.functional.normalize(torch.randn(args.batch, options["outputDims"]), dim=1).to(device)


def step():
    optimizer.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


for _ in range(args.warmup):
    step()
sync()
wall, cpu = time.perf_counter(), time.process_time()
for _ in range(args.steps):
    step()
sync()
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
report({
    "version": torch.__version__,
    "device": device_label,
    "threads": torch.get_num_threads(),
    "wall_s_per_step": wall / args.steps,
    "cpu_s_per_step": cpu / args.steps,
})
