// `npm run bench -- search [--n N] [--queries Q] [--single S]`: nearest-neighbour search over N random unit
// vectors × 40 dims (the latent-factor size of the recommender), ours (FaissIndex over the patched faiss-node)
// against Python faiss-cpu on the same vectors and queries, in the same run, same OMP_NUM_THREADS.
// Flat: single-query and batched q/s; IVF and HNSW: recall@10 and batched q/s per nprobe / efSearch.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

import { FaissIndex, type FactoryString, type SearchResult } from "@curator/server/index/faiss-index.js";
import { randomUnitVectors } from "@curator/server/index/unit-vectors.js";

const D = 40;
const K = 10;
const NPROBE = [1, 4, 16, 64];
const EF_SEARCH = [16, 32, 64, 128];

const { values: args } = parseArgs({
  options: {
    n: { type: "string", default: process.env.BENCH_SEARCH_N ?? "1000000" },
    queries: { type: "string", default: "2000" },
    single: { type: "string", default: "300" },
  },
});
const n = Number(args.n);
const nq = Number(args.queries);
const single = Math.min(Number(args.single), nq);
for (const [name, v] of [["n", n], ["queries", nq], ["single", single]] as const) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`bench search: --${name} must be a positive integer`);
}
// FAISS's guideline: 4–16·√n lists, trained on ≥ 39 vectors per list.
const nlist = 2 ** Math.round(Math.log2(4 * Math.sqrt(n)));
const trainN = Math.min(n, 64 * nlist);

interface Row {
  recall: number;
  batched_qps: number;
}
interface Built {
  build_s: number;
  bytes_per_vector: number;
}
interface Report {
  flat: Built & { single_qps: number; batched_qps: number };
  ivf: Built & { rows: (Row & { nprobe: number })[] };
  hnsw: Built & { rows: (Row & { efSearch: number })[] };
}

const dir = mkdtempSync(join(tmpdir(), "bench-search-"));
const ids = Float64Array.from({ length: n }, (_, i) => i);

function seconds(f: () => void): number {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

function recall(r: SearchResult, truth: SearchResult): number {
  let hits = 0;
  for (let q = 0; q < nq; q++) {
    const want = new Set(truth.ids.subarray(q * K, (q + 1) * K));
    for (let j = 0; j < K; j++) if (want.has(r.ids[q * K + j]!)) hits++;
  }
  return hits / (nq * K);
}

function build(description: FactoryString, base: Float32Array): Built & { index: FaissIndex } {
  const index = FaissIndex.fromFactory(D, description, "inner_product");
  const build_s = seconds(() => {
    if (!index.isTrained) index.train(base.subarray(0, trainN * D));
    index.addWithIds(base, ids);
  });
  const path = join(dir, "index");
  index.write(path);
  return { index, build_s, bytes_per_vector: statSync(path).size / n };
}

function batched(index: FaissIndex, queries: Float32Array, params?: { nprobe?: number; efSearch?: number }) {
  let r: SearchResult | undefined;
  const s = seconds(() => (r = index.search(queries, K, params)));
  return { qps: nq / s, r: r! };
}

async function ours(base: Float32Array, queries: Float32Array): Promise<Report & { async_single_qps: number }> {
  const flat = build("Flat", base);
  const one = (i: number): Float32Array => queries.subarray(i * D, (i + 1) * D);
  flat.index.search(one(0), K); // warm-up
  const singleS = seconds(() => {
    for (let i = 0; i < single; i++) flat.index.search(one(i), K);
  });
  const t = process.hrtime.bigint();
  for (let i = 0; i < single; i++) await flat.index.searchAsync(one(i), K);
  const asyncS = Number(process.hrtime.bigint() - t) / 1e9;
  flat.index.search(queries.subarray(0, 20 * D), K); // warm-up of the BLAS path FAISS takes from 20 queries
  const exact = batched(flat.index, queries);
  const truth = exact.r;

  const ivf = build(`IVF${nlist},Flat`, base);
  const ivfRows = NPROBE.filter((p) => p <= nlist).map((nprobe) => {
    const b = batched(ivf.index, queries, { nprobe });
    return { nprobe, recall: recall(b.r, truth), batched_qps: b.qps };
  });
  const hnsw = build("HNSW32", base);
  const hnswRows = EF_SEARCH.map((efSearch) => {
    const b = batched(hnsw.index, queries, { efSearch });
    return { efSearch, recall: recall(b.r, truth), batched_qps: b.qps };
  });
  return {
    flat: { build_s: flat.build_s, bytes_per_vector: flat.bytes_per_vector, single_qps: single / singleS, batched_qps: exact.qps },
    async_single_qps: single / asyncS,
    ivf: { build_s: ivf.build_s, bytes_per_vector: ivf.bytes_per_vector, rows: ivfRows },
    hnsw: { build_s: hnsw.build_s, bytes_per_vector: hnsw.bytes_per_vector, rows: hnswRows },
  };
}

function anchor(basePath: string, queriesPath: string): Report & { version: string; omp_threads: number } {
  const python = execFileSync("bash", ["scripts/python-env.sh", "bench"], { encoding: "utf8" }).trim().split("\n").pop()!;
  const out = execFileSync(
    python,
    [
      "bench/anchors/search.py",
      ...["--base", basePath, "--queries", queriesPath, "--d", String(D), "--single", String(single)],
      ...["--nlist", String(nlist), "--train", String(trainN)],
      ...["--nprobe", NPROBE.filter((p) => p <= nlist).join(","), "--ef-search", EF_SEARCH.join(",")],
    ],
    { encoding: "utf8", env: process.env, maxBuffer: 1 << 20, stdio: ["ignore", "pipe", "inherit"] },
  );
  return JSON.parse(out.trim().split("\n").pop()!);
}

const fmt = (x: number, digits = 0): string => x.toFixed(digits).padStart(10);

try {
  const base = randomUnitVectors(n, D, 20140805);
  const queries = randomUnitVectors(nq, D, 20131205);
  const basePath = join(dir, "base.f32");
  const queriesPath = join(dir, "queries.f32");
  writeFileSync(basePath, base);
  writeFileSync(queriesPath, queries);

  const o = await ours(base, queries);
  const a = anchor(basePath, queriesPath);

  console.log(
    `search: ${n} × ${D} unit vectors, ${nq} queries, k=${K}, inner product; ` +
      `OMP_NUM_THREADS=${process.env.OMP_NUM_THREADS} (faiss-cpu ${a.version}: ${a.omp_threads} threads)`,
  );
  console.log(`IVF${nlist} trained on ${trainN}; q/s batched = all ${nq} queries in one call\n`);
  console.log("index        measure                   ours    faiss-cpu");
  const line = (idx: string, what: string, x: number, y: number, digits = 0): void =>
    console.log(`${idx.padEnd(12)} ${what.padEnd(20)}${fmt(x, digits)}   ${fmt(y, digits)}`);
  for (const [name, ob, ab] of [["Flat", o.flat, a.flat], [`IVF${nlist}`, o.ivf, a.ivf], ["HNSW32", o.hnsw, a.hnsw]] as const) {
    line(name, "build s", ob.build_s, ab.build_s, 2);
    line(name, "bytes/vector", ob.bytes_per_vector, ab.bytes_per_vector, 1);
  }
  line("Flat", `single q/s (${single})`, o.flat.single_qps, a.flat.single_qps);
  console.log(`${"Flat".padEnd(12)} ${"async single q/s".padEnd(20)}${fmt(o.async_single_qps)}            -`);
  line("Flat", "batched q/s", o.flat.batched_qps, a.flat.batched_qps);
  o.ivf.rows.forEach((r, i) => {
    line(`IVF${nlist}`, `nprobe ${r.nprobe} recall@10`, r.recall, a.ivf.rows[i]!.recall, 3);
    line(`IVF${nlist}`, `nprobe ${r.nprobe} q/s`, r.batched_qps, a.ivf.rows[i]!.batched_qps);
  });
  o.hnsw.rows.forEach((r, i) => {
    line("HNSW32", `efSearch ${r.efSearch} recall@10`, r.recall, a.hnsw.rows[i]!.recall, 3);
    line("HNSW32", `efSearch ${r.efSearch} q/s`, r.batched_qps, a.hnsw.rows[i]!.batched_qps);
  });
  console.log(
    JSON.stringify({
      bench: "search",
      unit: "queries/s",
      ours: o.flat.single_qps,
      anchor: a.flat.single_qps,
      anchor_name: `faiss-cpu ${a.version} Flat`,
      ratio: o.flat.single_qps / a.flat.single_qps,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
