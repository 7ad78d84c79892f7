"""Anchor for bench/predict.ts: clips per second of the same network in PyTorch CPU (or CUDA, --device cuda; eval mode, no autograd),
in batches, on random inputs of the same shape. The first batch is a warm-up. Prints one JSON object.
"""
import argparse
import json
import time

from convnet_torch import build, pick_device, report, set_threads

parser = argparse.ArgumentParser()
parser.add_argument("--options", required=True, help="model options as JSON (architecture.ts ModelOptions)")
parser.add_argument("--frames", type=int, required=True)
parser.add_argument("--batch", type=int, required=True)
parser.add_argument("--clips", type=int, required=True)
parser.add_argument("--threads", type=int, required=True)
parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
args = parser.parse_args()

torch = set_threads(args.threads)
device, device_label, sync = pick_device(torch, args.device)
options = json.loads(args.options)
torch.manual_seed(0)
model = build(torch, options).to(device)
model.eval()
clips = torch.randn(args.clips, options["melBins"], args.frames).abs()
# Clips start and results end in host memory, as ours do, so a device's copies are part of the cost.
with torch.inference_mode():
    model(clips[: args.batch].to(device)).cpu()
    sync()
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, args.clips, args.batch):
        model(clips[start : start + args.batch].to(device)).cpu()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
report({
    "version": torch.__version__,
    "device": device_label,
    "threads": torch.get_num_threads(),
    "clips_per_s": args.clips / wall,
    "cpu_s_per_clip": cpu / args.clips,
})
