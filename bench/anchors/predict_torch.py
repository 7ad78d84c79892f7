"""Anchor for bench/predict.ts: clips per second of the same network in PyTorch CPU (or CUDA, --device cuda), eval
mode, no autograd, in batches, on random inputs of the same shape. The first batch is a warm-up. Prints one JSON
object.
"""
import time

from convnet_torch import anchor_model, anchor_parser

parser = anchor_parser()
parser.add_argument("--clips", type=int, required=True)
args = parser.parse_args()

anchor = anchor_model(args)
torch, model, options, device, sync = anchor.torch, anchor.model, anchor.options, anchor.device, anchor.sync
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
anchor.report({"clips_per_s": args.clips / wall, "cpu_s_per_clip": cpu / args.clips})
