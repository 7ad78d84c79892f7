// `npm run bench -- search [--n N] [--queries Q] [--single S] [--index SPEC]...`: nearest-neighbour search over N
// random unit vectors × 40 dims (the latent-factor size of the recommender), ours (FaissIndex over the patched
// faiss-node) against Python faiss-cpu on the same vectors and queries, in the same run, same OMP_NUM_THREADS.
// Flat: single-query and batched q/s. Approximate indexes: recall@10 and batched q/s along one swept parameter.
// SPEC is an index_factory string and its parameters (faiss::ParameterSpace names); the last one is swept, the
// others are set before training, so build knobs apply:  --index "HNSW32 efConstruction=80 efSearch=64,128,256"
// q/s is given per wall second and per CPU second of the process: on the shared machine the second is what one
// core does, whatever the load. The headline, single Flat queries per CPU second, alternates ours and faiss-cpu
// in SEARCH_BENCH_ROUNDS rounds (support/rounds.ts) once both have built everything; builds print progress.
// --factor-set KIND (CF, PREDICTED_MIDDLE, PREDICTED_WHOLE) searches the active set of that kind in DATABASE_URL
// instead (the real corpus): its unit vectors are the base, and queries are tracks of the set, as `similar` asks.
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";

import {
  FaissIndex,
  isFactoryString,
  isParameterName,
  type FactoryString,
  type ParameterName,
  type SearchResult,
} from "@curator/server/index/faiss-index.js";
import { randomUnitVectors } from "@curator/server/index/unit-vectors.js";
import { FACTOR_KINDS } from "@curator/db/factor-sets.js";
import { Rng } from "@curator/worker/util/random.js";
import type { FactorVectors } from "./support/factor-vectors-worker.js";
import { alternate, jsonLine, roundsFrom, startLineAnchor, type LineAnchor } from "./support/rounds.js";

const K = 10;
/** Shortest timed single-query loop, in seconds, on both sides. */
const MIN_TIMED_S = 1;

const { values: args } = parseArgs({
  options: {
    n: { type: "string", default: process.env.BENCH_SEARCH_N ?? "1000000" },
    queries: { type: "string", default: "2000" },
    single: { type: "string", default: "300" },
    index: { type: "string", multiple: true },
    "factor-set": { type: "string" },
  },
});

/** Base vectors and queries: random unit vectors × 40 dims (the latent-factor size), or a stored factor set. */
async function vectors(): Promise<{ base: Float32Array; queries: Float32Array; d: number; source: string }> {
  const kind = args["factor-set"];
  if (kind === undefined) {
    const d = 40;
    return { base: randomUnitVectors(Number(args.n), d, 20140805), queries: randomUnitVectors(Number(args.queries), d, 20131205), d, source: "random unit vectors" };
  }
  if (!(FACTOR_KINDS as readonly string[]).includes(kind)) throw new Error(`bench search: --factor-set must be one of ${FACTOR_KINDS.join(", ")}`);
  const worker = new Worker(new URL("./support/factor-vectors-worker.js", import.meta.url), { workerData: kind });
  const [{ vectors: base, dims, setId }] = (await once(worker, "message")) as [FactorVectors];
  await worker.terminate();
  const rows = base.length / dims;
  const rng = new Rng(20131205);
  const queries = new Float32Array(Number(args.queries) * dims);
  for (let q = 0; q < queries.length / dims; q++) {
    const r = rng.int(rows);
    queries.set(base.subarray(r * dims, (r + 1) * dims), q * dims);
  }
  return { base, queries, d: dims, source: `${kind} factor set #${setId}` };
}
for (const name of ["n", "queries", "single"] as const) {
  const v = Number(args[name]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`bench search: --${name} must be a positive integer`);
}
const { base, queries, d: D, source } = await vectors();
const n = base.length / D;
const nq = Number(args.queries);
const single = Math.min(Number(args.single), nq);
// FAISS's guideline: 4–16·√n lists.
const nlist = 2 ** Math.round(Math.log2(4 * Math.sqrt(n)));

interface Spec {
  description: FactoryString;
  fixed: [ParameterName, number][];
  sweep: { name: ParameterName; values: number[] };
  /** Training vectors: FAISS wants ≥ 39 per IVF list; the other trained parts (PQ, SQ) are content with that. */
  train: number;
}

function parseSpec(text: string): Spec {
  const [description, ...params] = text.trim().split(/\s+/);
  const bad = (why: string): Error => new Error(`bench search: --index "${text}": ${why}`);
  if (!description || !isFactoryString(description)) throw bad(`"${description}" is not a factory string FaissIndex takes`);
  const parsed = params.map((p): [ParameterName, number[]] => {
    const [name, list] = p.split("=");
    if (!name || !isParameterName(name)) throw bad(`unknown parameter "${name}"`);
    const values = (list ?? "").split(",").map(Number);
    if (values.some((v) => !(v > 0))) throw bad(`${name} needs positive values`);
    return [name, values];
  });
  const last = parsed.pop();
  if (!last) throw bad("no parameter to sweep (e.g. nprobe=16,64 or efSearch=64,128)");
  if (parsed.some(([, v]) => v.length !== 1)) throw bad("only the last parameter may take several values");
  const lists = Number(/^IVF(\d+)/.exec(description)?.[1] ?? 1024);
  return {
    description,
    fixed: parsed.map(([name, [v]]) => [name, v!]),
    sweep: { name: last[0], values: last[1] },
    train: Math.min(n, 64 * lists),
  };
}

// Defaults: IVF scanning 1/256 to 1/4 of the lists, the same over 4-bit codes re-ranked exactly, and HNSW.
const lists = (...fractions: number[]): string => fractions.map((f) => Math.max(1, Math.round(nlist * f))).join(",");
const specs = (
  args.index ?? [
    `IVF${nlist},Flat nprobe=${lists(1 / 256, 1 / 64, 1 / 16, 1 / 8, 1 / 4)}`,
    `IVF${nlist},PQ${D}x4fs,RFlat k_factor_rf=10 nprobe=${lists(1 / 16, 1 / 8, 3 / 16, 1 / 4)}`,
    "HNSW32 efSearch=64,128,256",
  ]
).map(parseSpec);

interface Timed {
  qps: number;
  cpu_qps: number;
}
interface Row extends Timed {
  value: number;
  recall: number;
}
interface Built {
  build_s: number;
  bytes_per_vector: number;
}
interface Report {
  flat: Built & { single_qps: number; single_cpu_qps: number; batched: Timed };
  approx: (Built & { rows: Row[] })[];
}

const dir = mkdtempSync(join(tmpdir(), "bench-search-"));
const ids = Float64Array.from({ length: n }, (_, i) => i);

function timed(queries: number, f: () => void): Timed {
  const t = process.hrtime.bigint();
  const c = process.cpuUsage();
  f();
  const cpu = process.cpuUsage(c);
  return {
    qps: queries / (Number(process.hrtime.bigint() - t) / 1e9),
    cpu_qps: queries / ((cpu.user + cpu.system) / 1e6),
  };
}

function recall(r: SearchResult, truth: SearchResult): number {
  let hits = 0;
  for (let q = 0; q < nq; q++) {
    const want = new Set(truth.ids.subarray(q * K, (q + 1) * K));
    for (let j = 0; j < K; j++) if (want.has(r.ids[q * K + j]!)) hits++;
  }
  return hits / (nq * K);
}

function build(spec: Pick<Spec, "description" | "fixed" | "train">, base: Float32Array): Built & { index: FaissIndex } {
  const index = FaissIndex.fromFactory(D, spec.description, "inner_product");
  for (const [name, value] of spec.fixed) index.setParameter(name, value);
  const t = process.hrtime.bigint();
  if (!index.isTrained) index.train(base.subarray(0, spec.train * D));
  index.addWithIds(base, ids);
  const build_s = Number(process.hrtime.bigint() - t) / 1e9;
  const path = join(dir, "index");
  index.write(path);
  return { index, build_s, bytes_per_vector: statSync(path).size / n };
}

function batched(index: FaissIndex, queries: Float32Array): Timed & { r: SearchResult } {
  let r: SearchResult | undefined;
  const t = timed(nq, () => (r = index.search(queries, K)));
  return { ...t, r: r! };
}

/** Progress of the long parts (a 1M build takes minutes): one line each, as the anchor prints its own. */
const progress = (message: string): void => console.error(`ours: ${message}`);

async function ours(base: Float32Array, queries: Float32Array): Promise<Report & { async_single_qps: number; rounds: number; singleRound: () => Timed }> {
  const flat = build({ description: "Flat", fixed: [], train: 0 }, base);
  progress(`Flat over ${n} vectors built in ${flat.build_s.toFixed(1)} s`);
  const one = (i: number): Float32Array => queries.subarray(i * D, (i + 1) * D);
  // Steady state on both sides: untimed passes over the queries (JIT, caches, the collector done with what loading
  // left), then the timed passes, as many. A pass over a small set (the real corpus: a few µs a query) lasts
  // milliseconds, where one collection or context switch swings q/s twofold, so both repeat it for MIN_TIMED_S.
  // Both sides hand the search its output arrays (FAISS's own convention), as a tight loop would.
  const into = FaissIndex.resultBuffers(1, K);
  const pass = (): void => {
    for (let i = 0; i < single; i++) flat.index.search(one(i), K, undefined, into);
  };
  const t0 = process.hrtime.bigint();
  pass();
  const rounds = Math.max(1, Math.ceil(MIN_TIMED_S / (Number(process.hrtime.bigint() - t0) / 1e9)));
  const passes = (): void => {
    for (let r = 0; r < rounds; r++) pass();
  };
  passes();
  const singleT = timed(single * rounds, passes);
  const t = process.hrtime.bigint();
  for (let i = 0; i < single; i++) await flat.index.searchAsync(one(i), K);
  const asyncS = Number(process.hrtime.bigint() - t) / 1e9;
  flat.index.search(queries.subarray(0, 20 * D), K); // warm-up of the BLAS path FAISS takes from 20 queries
  const { r: truth, ...exact } = batched(flat.index, queries);

  const approx = specs.map((spec) => {
    const { index, ...built } = build(spec, base);
    progress(`${spec.description} built in ${built.build_s.toFixed(1)} s`);
    const rows = spec.sweep.values.map((value) => {
      index.setParameter(spec.sweep.name, value);
      const { r, ...b } = batched(index, queries);
      return { value, recall: recall(r, truth), ...b };
    });
    return { ...built, rows };
  });
  return {
    flat: { build_s: flat.build_s, bytes_per_vector: flat.bytes_per_vector, single_qps: singleT.qps, single_cpu_qps: singleT.cpu_qps, batched: exact },
    async_single_qps: single / asyncS,
    rounds,
    approx,
    singleRound: () => timed(single * rounds, passes),
  };
}

/** Python faiss-cpu on the same files, kept alive so its single-query rounds alternate with ours. */
async function startAnchor(basePath: string, queriesPath: string, rounds: number): Promise<LineAnchor> {
  const python = execFileSync("bash", ["scripts/python-env.sh", "bench"], { encoding: "utf8" }).trim().split("\n").pop()!;
  return startLineAnchor(python, [
    "bench/anchors/search.py",
    ...["--base", basePath, "--queries", queriesPath, "--d", String(D), "--single", String(single), "--rounds", String(rounds)],
    ...["--specs", JSON.stringify(specs)],
  ]);
}

const fmt = (x: number, digits = 0): string => x.toFixed(digits).padStart(10);

try {
  const basePath = join(dir, "base.f32");
  const queriesPath = join(dir, "queries.f32");
  writeFileSync(basePath, base);
  writeFileSync(queriesPath, queries);

  const o = await ours(base, queries);
  const faissCpu = await startAnchor(basePath, queriesPath, o.rounds);
  const a = JSON.parse(await faissCpu.ask("report")) as Report & { version: string; omp_threads: number };
  const anchorName = `faiss-cpu ${a.version} Flat`;
  const cpuSeconds = (t: Timed, count: number) => count / t.cpu_qps;
  const singles = single * o.rounds;
  const comparison = await alternate({
    bench: "search",
    unit: "single Flat queries per CPU second",
    anchorName,
    rounds: roundsFrom("SEARCH_BENCH_ROUNDS", 5),
    ours: {
      label: "ours",
      run() {
        const t = o.singleRound();
        return { value: t.cpu_qps, wall: singles / t.qps, cpu: cpuSeconds(t, singles), note: `${t.qps.toFixed(0)} q/s wall` };
      },
    },
    anchor: {
      label: "faiss-cpu",
      async run() {
        const t = JSON.parse(await faissCpu.ask("single")) as Timed;
        return { value: t.cpu_qps, wall: singles / t.qps, cpu: cpuSeconds(t, singles), note: `${t.qps.toFixed(0)} q/s wall` };
      },
    },
  });
  faissCpu.stop();

  console.log(
    `search: ${n} × ${D} ${source}, ${nq} queries, k=${K}, inner product; ` +
      `OMP_NUM_THREADS=${process.env.OMP_NUM_THREADS} (faiss-cpu ${a.version}: ${a.omp_threads} threads)`,
  );
  console.log(`q/s batched = all ${nq} queries in one call; cpu q/s = per CPU second of the process\n`);
  const line = (idx: string, what: string, x: number, y: number, digits = 0): void =>
    console.log(`${idx.padEnd(38)} ${what.padEnd(24)}${fmt(x, digits)}   ${fmt(y, digits)}`);
  console.log(`${"index".padEnd(38)} ${"measure".padEnd(24)}      ours    faiss-cpu`);
  line("Flat", "build s", o.flat.build_s, a.flat.build_s, 2);
  line("Flat", "bytes/vector", o.flat.bytes_per_vector, a.flat.bytes_per_vector, 1);
  line("Flat", `single q/s (${single}×${o.rounds})`, o.flat.single_qps, a.flat.single_qps);
  line("Flat", "single cpu q/s", o.flat.single_cpu_qps, a.flat.single_cpu_qps);
  console.log(`${"Flat".padEnd(38)} ${"async single q/s".padEnd(24)}${fmt(o.async_single_qps)}            -`);
  line("Flat", "batched q/s", o.flat.batched.qps, a.flat.batched.qps);
  line("Flat", "batched cpu q/s", o.flat.batched.cpu_qps, a.flat.batched.cpu_qps);
  specs.forEach((spec, i) => {
    const name = [spec.description, ...spec.fixed.map(([p, v]) => `${p}=${v}`)].join(" ");
    const [ob, ab] = [o.approx[i]!, a.approx[i]!];
    line(name, "build s", ob.build_s, ab.build_s, 1);
    line(name, "bytes/vector", ob.bytes_per_vector, ab.bytes_per_vector, 1);
    ob.rows.forEach((r, j) => {
      const ar = ab.rows[j]!;
      const at = `${spec.sweep.name} ${r.value}`;
      line(name, `${at} recall@10`, r.recall, ar.recall, 3);
      line(name, `${at} q/s`, r.qps, ar.qps);
      line(name, `${at} cpu q/s`, r.cpu_qps, ar.cpu_qps);
    });
  });
  console.log(jsonLine(comparison, { n, queries: nq, batched_cpu_qps_ratio: Number((o.flat.batched.cpu_qps / a.flat.batched.cpu_qps).toPrecision(4)) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
