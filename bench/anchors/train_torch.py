"""Anchor for bench/train.ts: seconds per SGD step (Nesterov momentum, MSE) of the same network in PyTorch
CPU (or CUDA, --device cuda), on random inputs of the same shape: the mean and each step's. Warm-up steps are
excluded. Prints one JSON object.
"""
from convnet_torch import anchor_model, anchor_parser

parser = anchor_parser()
parser.add_argument("--warmup", type=int, required=True)
parser.add_argument("--steps", type=int, required=True)
parser.add_argument("--lr", type=float, required=True)
parser.add_argument("--momentum", type=float, required=True)
args = parser.parse_args()

anchor = anchor_model(args)
torch, model, options, device, sync = anchor.torch, anchor.model, anchor.options, anchor.device, anchor.sync
model.train()
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, nesterov=True)
loss_fn = torch.nn.MSELoss()
x = torch.randn(args.batch, options["melBins"], args.frames).abs().to(device)
y = torch.nn.functional.normalize(torch.randn(args.batch, options["outputDims"]), dim=1).to(device)


def step():
    optimizer.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


anchor.time_steps(step, args.warmup, args.steps)
