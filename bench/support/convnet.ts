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

/** Runs bench/anchors/SCRIPT with --options and the given flags; returns its JSON line. */
export function torchAnchor(script: string, flags: Record<string, number>): Record<string, number | string> {
  const python = execFileSync("bash", ["scripts/python-env.sh", "bench"], { cwd: root, encoding: "utf8" }).trim().split("\n").pop()!;
  const args = [`bench/anchors/${script}`, "--options", JSON.stringify(BENCH_MODEL), "--frames", String(BENCH_MODEL.cropFrames)];
  for (const [name, value] of Object.entries(flags)) args.push(`--${name}`, String(value));
  args.push("--threads", String(THREADS));
  const out = execFileSync(python, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(out.trim().split("\n").pop()!);
}
