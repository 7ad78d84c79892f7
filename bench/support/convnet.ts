// Shared by bench/train.ts and bench/predict.ts: the full network on whole 599-frame clips, thread pinning of
// libtensorflow and PyTorch to the same count, random clips, and the PyTorch anchor runner.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

import { modelOptions, type ModelOptions } from "@curator/worker/model/architecture.js";
import { Rng } from "@curator/worker/util/random.js";

export const root = fileURLToPath(new URL("../../../", import.meta.url));

/** The post's network on its 599-frame input (no crop), the shape of the earlier measurements. */
export const BENCH_MODEL: ModelOptions = modelOptions("full", { cropFrames: 599 });

/** Threads for both sides: BENCH_THREADS, default 2 (the cores of the development machine). */
export const THREADS = Number(process.env.BENCH_THREADS ?? 2);

/**
 * libtensorflow sizes its intra-op pool (the one its conv and matmul kernels use) and inter-op pool from these
 * variables when the first op runs, so they must be set before loadTensorflow(); oneDNN follows OpenMP's.
 */
export function pinTensorflowThreads(): void {
  process.env.TF_NUM_INTRAOP_THREADS = String(THREADS);
  process.env.TF_NUM_INTEROP_THREADS = String(THREADS);
  process.env.OMP_NUM_THREADS = String(THREADS);
}

/** Non-negative like log-mel values. */
export function randomClips(count: number, seed: number): Float32Array[] {
  const rng = new Rng(seed);
  const size = BENCH_MODEL.cropFrames * BENCH_MODEL.melBins;
  return Array.from({ length: count }, () => Float32Array.from({ length: size }, () => 4 * rng.next()));
}

/**
 * Where the PyTorch anchor runs: BENCH_TORCH_DEVICE, "cpu" (default) or "cuda" on a machine with an accelerator,
 * where ours still runs on libtensorflow's CPU build (no GPU libtensorflow can be had offline).
 */
const TORCH_DEVICE = process.env.BENCH_TORCH_DEVICE ?? "cpu";

/**
 * The anchor's interpreter: BENCH_PYTHON where PyTorch is already installed (an accelerator machine without the
 * wheel index), else the bench group of scripts/python-env.sh.
 */
function anchorPython(): string {
  if (process.env.BENCH_PYTHON) return process.env.BENCH_PYTHON;
  return execFileSync("bash", ["scripts/python-env.sh", "bench"], { cwd: root, encoding: "utf8" }).trim().split("\n").pop()!;
}

export interface TorchAnchor {
  result: Record<string, unknown>;
  /** For the JSON line, e.g. "pytorch 2.13 cpu" or "pytorch 2.11 cuda NVIDIA H200". */
  name: string;
  /** For the header, e.g. "torch 2.13.0+cpu on cpu, 2 threads". */
  describe: string;
}

/** Runs bench/anchors/SCRIPT with --options (`model`, default BENCH_MODEL) and the given flags; returns its JSON line. */
export function torchAnchor(script: string, flags: Record<string, number>, model: ModelOptions = BENCH_MODEL): TorchAnchor {
  const args = [`bench/anchors/${script}`, "--options", JSON.stringify(model), "--frames", String(model.cropFrames)];
  for (const [name, value] of Object.entries(flags)) args.push(`--${name}`, String(value));
  args.push("--threads", String(THREADS), "--device", TORCH_DEVICE);
  const out = execFileSync(anchorPython(), args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const result = JSON.parse(out.trim().split("\n").pop()!) as Record<string, unknown>;
  const version = String(result.version);
  const where = TORCH_DEVICE === "cpu" ? "cpu" : `${TORCH_DEVICE} ${result.device}`;
  return {
    result,
    name: `pytorch ${version.split(".").slice(0, 2).join(".")} ${where}`,
    describe: `torch ${version} on ${where}, ${result.threads} threads`,
  };
}
