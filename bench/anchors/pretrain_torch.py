"""Anchor for bench/pretrain.ts: seconds per contrastive step of the same network in PyTorch CPU (or CUDA): two
views of --batch tracks in one forward pass, NT-Xent (SimCLR) at --temperature over the 2 x batch views, Adam
with L2 weight decay on the kernels (as ours: added to the gradient), on fixed random views. Warm-up steps are
excluded. Prints one JSON object.
"""
from convnet_torch import anchor_model, anchor_parser

parser = anchor_parser()
parser.add_argument("--warmup", type=int, required=True)
parser.add_argument("--steps", type=int, required=True)
parser.add_argument("--lr", type=float, required=True)
parser.add_argument("--temperature", type=float, required=True)
parser.add_argument("--weight_decay", type=float, required=True)
args = parser.parse_args()

anchor = anchor_model(args)
torch, model, options, device, sync = anchor.torch, anchor.model, anchor.options, anchor.device, anchor.sync
F = torch.nn.functional
model.train()
kernels = [p for name, p in model.named_parameters() if name.endswith("weight")]
biases = [p for name, p in model.named_parameters() if name.endswith("bias")]
optimizer = torch.optim.Adam(
    [{"params": kernels, "weight_decay": args.weight_decay}, {"params": biases, "weight_decay": 0.0}], lr=args.lr
)
n = args.batch
x = torch.randn(2 * n, options["melBins"], args.frames).to(device)
targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(device)
self_mask = torch.eye(2 * n, dtype=torch.bool, device=device)


def step():
    optimizer.zero_grad(set_to_none=True)
    z = F.normalize(model(x), dim=1)
    logits = (z @ z.T / args.temperature).masked_fill(self_mask, float("-inf"))
    loss = F.cross_entropy(logits, targets)
    loss.backward()
    optimizer.step()
    return loss.item()


anchor.time_steps(step, args.warmup, args.steps)
