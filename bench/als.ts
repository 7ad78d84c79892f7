/**
 * ALS throughput: seconds per iteration (wall, and CPU seconds of all threads) of `fitAls` with CG on a seeded
 * power-law play-count matrix, threads 1 and 2, against the same CG update in NumPy/SciPy
 * (bench/anchors/als_cg.py, single BLAS thread) on the same matrix and initial factors.
 *
 * Env: ALS_BENCH_USERS (50000), ALS_BENCH_ITEMS (20000), ALS_BENCH_DRAWS (2230000 triplets, ~2M distinct
 * pairs), ALS_BENCH_ITERATIONS (15), ALS_BENCH_FACTORS (40), ALS_BENCH_THREADS ("1,2").
 * The JSON line compares CPU seconds per iteration single-threaded (ours with threads=1, the anchor with one
 * BLAS thread): on a shared machine CPU time is what load does not distort.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fitAls } from "@curator/worker/factorize/als.js";
import { toConfidence } from "@curator/worker/factorize/confidence.js";
import { estimateMemory, randomFactors } from "@curator/worker/factorize/factors.js";
import { lossRows, totalLoss } from "@curator/worker/factorize/loss.js";
import { writeNpy } from "@curator/worker/factorize/npy.js";
import { gramian } from "@curator/worker/factorize/solve.js";
import { buildInteractions } from "@curator/worker/factorize/sparse.js";

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const users = env("ALS_BENCH_USERS", 50_000);
const items = env("ALS_BENCH_ITEMS", 20_000);
const draws = env("ALS_BENCH_DRAWS", 2_230_000);
const iterations = env("ALS_BENCH_ITERATIONS", 15);
const factors = env("ALS_BENCH_FACTORS", 40);
const threadCounts = (process.env.ALS_BENCH_THREADS ?? "1,2").split(",").map(Number);
if (!threadCounts.includes(1)) throw new Error("ALS_BENCH_THREADS must include 1: the JSON line compares single-threaded runs");
const params = { factors, iterations, regularization: 0.01, alpha: 40, cgSteps: 3 };
const root = fileURLToPath(new URL("../../", import.meta.url));

/** Index drawn with probability ∝ (j + 10)^−exponent: Zipf-like listeners and tracks with a soft head. */
function zipfSampler(n: number, exponent: number): (u: number) => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let j = 0; j < n; j++) cdf[j] = total += (j + 10) ** -exponent;
  return (u) => {
    const target = u * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function generate(): { rows: Int32Array; cols: Int32Array; counts: Float32Array } {
  const noise = randomFactors(1, draws * 3, 2014, 1);
  const user = zipfSampler(users, 0.8);
  const item = zipfSampler(items, 0.9);
  const rows = new Int32Array(draws);
  const cols = new Int32Array(draws);
  const counts = new Float32Array(draws);
  for (let j = 0; j < draws; j++) {
    // Scatter ranks over ids so popularity is not sorted by id (as real catalogues are not).
    rows[j] = (user(noise[3 * j]!) * 7919) % users;
    cols[j] = (item(noise[3 * j + 1]!) * 104729) % items;
    // Float32 noise can round up to exactly 1: keep the exponential draw finite.
    counts[j] = 1 + Math.floor(-Math.log(Math.max(1 - noise[3 * j + 2]!, 2 ** -24)) * 3);
  }
  return { rows, cols, counts };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

const coo = generate();
const built = performance.now();
const plays = buildInteractions(coo.rows, coo.cols, coo.counts, users, items);
const buildSeconds = (performance.now() - built) / 1000;
const nnz = plays.csr.indptr[users]!;
const memory = estimateMemory(users, items, nnz, factors);
console.log(
  `matrix ${users} × ${items}, ${draws} triplets → ${nnz} nonzeros (${plays.duplicates} duplicates summed), built in ${buildSeconds.toFixed(2)} s`,
);
console.log(
  `memory estimate: ${memory.bytesPerNonzero.toFixed(1)} bytes/nonzero (triplets ${(memory.tripletBytes / 2 ** 20).toFixed(0)} MiB, sparse ${(memory.sparseBytes / 2 ** 20).toFixed(0)} MiB, factors ${(memory.factorBytes / 2 ** 20).toFixed(0)} MiB)`,
);

const users0 = randomFactors(users, factors, 1);
const items0 = randomFactors(items, factors, 2);
const dir = mkdtempSync(join(tmpdir(), "als-bench-"));
try {
  await writeNpy(join(dir, "rows.npy"), coo.rows);
  await writeNpy(join(dir, "cols.npy"), coo.cols);
  await writeNpy(join(dir, "counts.npy"), coo.counts);
  await writeNpy(join(dir, "users0.npy"), users0, [users, factors]);
  await writeNpy(join(dir, "items0.npy"), items0, [items, factors]);
  writeFileSync(join(dir, "params.json"), JSON.stringify({ users, items, ...params }));

  const ours = new Map<number, { wall: number; cpu: number; loss: number }>();
  for (const threads of threadCounts) {
    const wall: number[] = [];
    const cpu: number[] = [];
    let cpuMark = process.cpuUsage();
    const model = await fitAls(plays, {
      ...params,
      threads,
      initial: { userFactors: users0, itemFactors: items0 },
      onIteration: (r) => {
        // process.cpuUsage is getrusage(RUSAGE_SELF): all threads of the process, workers included.
        const used = process.cpuUsage(cpuMark);
        cpuMark = process.cpuUsage();
        wall.push(r.elapsedMs / 1000);
        cpu.push((used.user + used.system) / 1e6);
      },
    });
    const confidence = toConfidence(plays.csr, params);
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
    const loss = totalLoss(shares, users, items, model.itemFactors, confidence.data, params.regularization);
    ours.set(threads, { wall: mean(wall), cpu: mean(cpu), loss });
    console.log(
      `ours threads=${threads}: ${mean(wall).toFixed(3)} s/iteration wall, ${mean(cpu).toFixed(3)} CPU-s/iteration (first ${wall[0]!.toFixed(3)} s, last ${wall.at(-1)!.toFixed(3)} s), final loss ${loss.toPrecision(6)}`,
    );
  }
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);

  const py = execFileSync("bash", [join(root, "scripts/python-env.sh"), "bench"], { encoding: "utf8" }).trim().split("\n").at(-1)!;
  const single = { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  const anchorOut = execFileSync(py, [join(root, "bench/anchors/als_cg.py"), dir], {
    encoding: "utf8",
    env: { ...process.env, ...single },
    maxBuffer: 1 << 24,
  });
  const anchor = JSON.parse(anchorOut.trim().split("\n").at(-1)!) as { wall: number[]; cpu: number[]; loss: number; nnz: number };
  if (anchor.nnz !== nnz) throw new Error(`anchor built ${anchor.nnz} nonzeros, ours ${nnz}`);
  console.log(
    `numpy/scipy CG (1 BLAS thread): ${mean(anchor.wall).toFixed(3)} s/iteration wall, ${mean(anchor.cpu).toFixed(3)} CPU-s/iteration, final loss ${anchor.loss.toPrecision(6)}`,
  );
  const single1 = ours.get(1)!;
  const anchorCpu = mean(anchor.cpu);
  console.log(
    JSON.stringify({
      bench: "als",
      unit: "s/iteration",
      ours: Number(single1.cpu.toFixed(4)),
      anchor: Number(anchorCpu.toFixed(4)),
      anchor_name: "numpy/scipy CG",
      ratio: Number((single1.cpu / anchorCpu).toFixed(4)),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
