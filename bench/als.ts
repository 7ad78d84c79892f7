/**
 * ALS cost: CPU seconds per iteration of `fitAls` (CG, one thread) against the same CG update in NumPy/SciPy
 * (bench/anchors/als_cg.py, one BLAS thread) or, with ALS_BENCH_ANCHOR=implicit where it is installed,
 * benfred/implicit's own (bench/anchors/als_implicit.py), on the same matrix from the same start factors. The two
 * alternate in rounds (support/rounds.ts); each round fits ALS_BENCH_ITERATIONS iterations from the start. After
 * the rounds, ours at each of ALS_BENCH_THREADS is timed once for wall time.
 *
 * Matrix: a seeded power-law play-count matrix (ALS_BENCH_USERS 50000, ALS_BENCH_ITEMS 20000, ALS_BENCH_DRAWS
 * 2230000 triplets, ~2M distinct pairs), or `--csv FILE` of `user,item,count` rows (a header is skipped).
 * `--write-csv FILE` writes the matrix used, so another library can be run on exactly the same data.
 * Env: ALS_BENCH_ROUNDS (3), ALS_BENCH_ITERATIONS (5 a round), ALS_BENCH_FACTORS (40), ALS_BENCH_THREADS ("2";
 * extra thread counts timed after the rounds, "" for none), ALS_BENCH_ANCHOR (cg | implicit).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { fitAls, type AlsOptions } from "@curator/worker/factorize/als.js";
import { toConfidence } from "@curator/worker/factorize/confidence.js";
import { estimateMemory, randomFactors } from "@curator/worker/factorize/factors.js";
import { lossRows, totalLoss } from "@curator/worker/factorize/loss.js";
import { writeNpy } from "@curator/worker/factorize/npy.js";
import { gramian } from "@curator/worker/factorize/solve.js";
import { buildInteractions, type SparseInteractions } from "@curator/worker/factorize/sparse.js";

import { generatePlays, readPlaysCsv, writePlaysCsv } from "./support/als-matrix.js";
import { alternate, cpuSeconds, jsonLine, roundsFrom, type Sample } from "./support/rounds.js";

const { values: args } = parseArgs({ options: { csv: { type: "string" }, "write-csv": { type: "string" } } });
const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const rounds = roundsFrom("ALS_BENCH_ROUNDS", 3);
const iterations = env("ALS_BENCH_ITERATIONS", 5);
const factors = env("ALS_BENCH_FACTORS", 40);
const extraThreads = (process.env.ALS_BENCH_THREADS ?? "2").split(",").filter(Boolean).map(Number);
const anchorKind = process.env.ALS_BENCH_ANCHOR ?? "cg";
if (anchorKind !== "cg" && anchorKind !== "implicit") throw new Error(`ALS_BENCH_ANCHOR must be cg or implicit, got ${anchorKind}`);
const params = { factors, iterations, regularization: 0.01, alpha: 40, cgSteps: 3 };
const root = fileURLToPath(new URL("../../", import.meta.url));

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

const matrix = args.csv
  ? await readPlaysCsv(args.csv)
  : generatePlays(env("ALS_BENCH_USERS", 50_000), env("ALS_BENCH_ITEMS", 20_000), env("ALS_BENCH_DRAWS", 2_230_000));
if (args["write-csv"]) {
  await writePlaysCsv(args["write-csv"], matrix);
  console.log(`wrote ${matrix.rows.length} user,item,count rows to ${args["write-csv"]}`);
}
const { users, items } = matrix;
const built = performance.now();
const plays = buildInteractions(matrix.rows, matrix.cols, matrix.counts, users, items);
const nnz = plays.csr.indptr[users]!;
const memory = estimateMemory(users, items, nnz, factors);
console.log(
  `matrix: ${matrix.source}: ${users} × ${items}, ${matrix.rows.length} triplets → ${nnz} nonzeros (${plays.duplicates} duplicates summed), built in ${((performance.now() - built) / 1000).toFixed(2)} s`,
);
console.log(
  `memory estimate: ${memory.bytesPerNonzero.toFixed(1)} bytes/nonzero (triplets ${(memory.tripletBytes / 2 ** 20).toFixed(0)} MiB, sparse ${(memory.sparseBytes / 2 ** 20).toFixed(0)} MiB, factors ${(memory.factorBytes / 2 ** 20).toFixed(0)} MiB)`,
);
console.log(`${factors} factors, ${iterations} iterations a round, λ ${params.regularization}, α ${params.alpha}, ${params.cgSteps} CG steps\n`);

const users0 = randomFactors(users, factors, 1);
const items0 = randomFactors(items, factors, 2);

/** benfred/implicit's normalised loss of a fit, as the anchors compute it. */
function finalLoss(model: { userFactors: Float32Array; itemFactors: Float32Array }, interactions: SparseInteractions): number {
  const confidence = toConfidence(interactions.csr, params);
  const shares = new Float64Array(users);
  const problem = {
    indptr: confidence.indptr,
    indices: confidence.indices,
    confidence: confidence.data,
    target: model.userFactors,
    fixed: model.itemFactors,
    factors,
    gram: gramian(model.itemFactors, items, factors, 0),
  };
  lossRows(problem, params.regularization, 0, users, shares);
  return totalLoss(shares, users, items, model.itemFactors, confidence.data, params.regularization);
}

/** One fit from the start factors: per-iteration wall and CPU seconds (all threads of the process). */
async function fitOurs(threads: number): Promise<{ wall: number[]; cpu: number[]; loss: number }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let cpuMark = cpuSeconds();
  const options: AlsOptions = {
    ...params,
    threads,
    initial: { userFactors: users0, itemFactors: items0 },
    onIteration: (r) => {
      const now = cpuSeconds();
      cpu.push(now - cpuMark);
      cpuMark = now;
      wall.push(r.elapsedMs / 1000);
    },
  };
  const model = await fitAls(plays, options);
  return { wall, cpu, loss: finalLoss(model, plays) };
}

const dir = mkdtempSync(join(tmpdir(), "als-bench-"));
try {
  await writeNpy(join(dir, "rows.npy"), matrix.rows);
  await writeNpy(join(dir, "cols.npy"), matrix.cols);
  await writeNpy(join(dir, "counts.npy"), matrix.counts);
  await writeNpy(join(dir, "users0.npy"), users0, [users, factors]);
  await writeNpy(join(dir, "items0.npy"), items0, [items, factors]);
  writeFileSync(join(dir, "params.json"), JSON.stringify({ users, items, ...params }));
  const python = execFileSync("bash", [join(root, "scripts/python-env.sh"), "bench"], { encoding: "utf8" }).trim().split("\n").at(-1)!;
  const script = anchorKind === "implicit" ? "als_implicit.py" : "als_cg.py";
  let anchorVersion = "";
  const losses = { ours: 0, anchor: 0 };

  const comparison = await alternate({
    bench: "als",
    unit: "CPU-s/iteration",
    anchorName: anchorKind === "implicit" ? "benfred/implicit CG, 1 thread" : "numpy/scipy CG, 1 BLAS thread",
    rounds,
    ours: {
      label: "ours",
      async run(): Promise<Sample> {
        const fit = await fitOurs(1);
        losses.ours = fit.loss;
        const wall = fit.wall.reduce((a, b) => a + b, 0);
        return { value: mean(fit.cpu), wall, cpu: fit.cpu.reduce((a, b) => a + b, 0), note: `loss ${fit.loss.toPrecision(6)}` };
      },
    },
    anchor: {
      label: anchorKind === "implicit" ? "implicit" : "numpy/scipy",
      run(): Sample {
        const single = { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
        const out = execFileSync(python, [join(root, "bench/anchors", script), dir], { encoding: "utf8", env: { ...process.env, ...single }, maxBuffer: 1 << 24 });
        const r = JSON.parse(out.trim().split("\n").at(-1)!) as { wall: number[]; cpu: number[]; loss: number; nnz: number; version?: string };
        if (r.nnz !== nnz) throw new Error(`anchor built ${r.nnz} nonzeros, ours ${nnz}`);
        losses.anchor = r.loss;
        anchorVersion = r.version ? ` ${r.version}` : "";
        return { value: mean(r.cpu), wall: r.wall.reduce((a, b) => a + b, 0), cpu: r.cpu.reduce((a, b) => a + b, 0), note: `loss ${r.loss.toPrecision(6)}` };
      },
    },
  });
  console.log(`final loss after ${iterations} iterations: ours ${losses.ours.toPrecision(6)}, anchor${anchorVersion} ${losses.anchor.toPrecision(6)}`);
  const threaded: Record<string, number> = {};
  for (const threads of extraThreads) {
    const fit = await fitOurs(threads);
    threaded[`ours_wall_s_${threads}_threads`] = Number(mean(fit.wall).toPrecision(4));
    console.log(`ours threads=${threads}: ${mean(fit.wall).toFixed(3)} s/iteration wall, ${mean(fit.cpu).toFixed(3)} CPU-s/iteration, loss ${fit.loss.toPrecision(6)}`);
  }
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  console.log(jsonLine(comparison, { nonzeros: nnz, iterations, ours_loss: losses.ours, anchor_loss: losses.anchor, ...threaded }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
