/**
 * The large-scale run's stages that have no CLI of their own, each run as a child process by scale-run.ts so its
 * time and peak memory are its own: `node test/dist/scale/scale-stages.js STAGE '{json options}'`; the last line
 * of output is one JSON object of figures.
 *
 * - generate: the synthetic catalogue and listens (generate.ts).
 * - predict: the reduced ("tiny") convnet over synthetic 599 × 128 log-mel-sized inputs (rotations of a pool of
 *   256 Gaussian clips), one per track: no audio exists for a generated catalogue, and a million cached
 *   spectrograms would take 300 GB. Stored as the PREDICTED_MIDDLE factor set with the writeFactorSet that
 *   `curator predict` uses. The network is freshly initialised, not trained (its speed does not depend on its
 *   weights), and makes no MC-dropout spread passes.
 * - search: the server's IndexRegistry loads the active CF set from the database and builds its default index
 *   (IVF above 200k tracks) exactly as the API does at start; then q/s for single and batched queries, and
 *   recall@10 against exact inner-product search over the same vectors, and the same counting ties with the exact
 *   10th neighbour as hits.
 */
import { openDb } from "@curator/db/client.js";
import { rowsWithFactors } from "@curator/db/factor-sets.js";
import { Rng } from "@curator/worker/util/random.js";
import type { SearchResult } from "@curator/server/index/faiss-index.js";
import { writeCatalog, writeListens, type ScaleSpec } from "./generate.js";

const FRAMES = 599;
const MEL_BINS = 128;
const PREDICT_CHUNK = 256;
const K = 10;
/** Float32 inner products of unit vectors from two code paths (exact re-ranking, Flat) differ by ~1e-7. */
const TIE_TOLERANCE = 1e-5;

type Figures = Record<string, number | string>;

async function generate(o: ScaleSpec & { catalog: string; listens: string }): Promise<Figures> {
  const t0 = performance.now();
  writeCatalog(o.catalog, o);
  const catalogS = (performance.now() - t0) / 1000;
  const drawn = writeListens(o.listens, o);
  return { catalog_s: catalogS, listens_s: (performance.now() - t0) / 1000 - catalogS, tracks: o.tracks, ...drawn };
}

async function predict(o: { tracks?: number; seed: number }): Promise<Figures> {
  // Loaded here, not at the top: the generate stage needs neither TensorFlow nor FAISS.
  const { buildModel, modelOptions } = await import("@curator/worker/model/architecture.js");
  const { loadTensorflow } = await import("@curator/worker/model/backend.js");
  const { predictExcerpts } = await import("@curator/worker/model/predict.js");
  const { writeFactorSet, removeAbandonedSets } = await import("@curator/worker/storage/factor-sets.js");
  const { tf, name } = await loadTensorflow();
  const options = modelOptions("tiny");
  const { model } = buildModel(tf, options, o.seed);
  const db = openDb();
  try {
    const all = await db.track.findMany({ select: { id: true }, orderBy: { id: "asc" } });
    const trackIds = Int32Array.from(all.slice(0, o.tracks ?? all.length), (t) => t.id);
    const raw = new Float32Array(trackIds.length * options.outputDims);
    const rng = new Rng(o.seed);
    // Standardised log-mel values are roughly unit Gaussian: the network sees inputs of the real scale. Drawing
    // 77k Gaussians per track would cost more than the network, so each chunk takes a rotation of one pool.
    const pool = Array.from({ length: PREDICT_CHUNK }, () => Float32Array.from({ length: FRAMES * MEL_BINS }, () => rng.gaussian()));
    const t0 = performance.now();
    for (let start = 0; start < trackIds.length; start += PREDICT_CHUNK) {
      const count = Math.min(PREDICT_CHUNK, trackIds.length - start);
      const shift = rng.int(PREDICT_CHUNK);
      const clips = Array.from({ length: count }, (_, c) => pool[(c + shift) % PREDICT_CHUNK]!);
      raw.set(await predictExcerpts(tf, model, options, clips), start * options.outputDims);
      if (start % (PREDICT_CHUNK * 200) === 0) console.error(`predict: ${start + count}/${trackIds.length}`);
    }
    const forwardS = (performance.now() - t0) / 1000;
    await removeAbandonedSets(db, "PREDICTED_MIDDLE");
    const t1 = performance.now();
    const setId = await writeFactorSet(db, {
      kind: "PREDICTED_MIDDLE",
      dims: options.outputDims,
      params: { synthetic: true, preset: "tiny" },
      trackIds,
      raw,
    });
    return { backend: name, tracks: trackIds.length, forward_s: forwardS, clips_per_s: trackIds.length / forwardS, store_s: (performance.now() - t1) / 1000, factor_set: setId };
  } finally {
    model.dispose();
    await db.$disconnect();
  }
}

async function search(o: { indexDir: string; queries: number; single: number; seed: number }): Promise<Figures> {
  const { FaissIndex } = await import("@curator/server/index/faiss-index.js");
  const { IndexRegistry } = await import("@curator/server/index/registry.js");
  const { defaultIndexSpec } = await import("@curator/server/index/factory.js");
  const db = openDb();
  try {
    const t0 = performance.now();
    const registry = new IndexRegistry(db, { dir: o.indexDir, log: (line) => console.error(`index: ${line}`) });
    const space = await registry.get("CF");
    if (!space) throw new Error("no active CF set: run factorize first");
    const buildS = (performance.now() - t0) / 1000;
    const rng = new Rng(o.seed);
    const rows: number[] = [];
    while (rows.length < o.queries) {
      const r = rng.int(space.trackIds.length);
      if (space.norms[r]! > 0) rows.push(r);
    }
    const queries = new Float32Array(rows.length * space.dims);
    rows.forEach((r, i) => queries.set(space.unit.subarray(r * space.dims, (r + 1) * space.dims), i * space.dims));

    const t1 = performance.now();
    for (let q = 0; q < o.single; q++) space.index.search(queries.subarray(q * space.dims, (q + 1) * space.dims), K);
    const singleQps = o.single / ((performance.now() - t1) / 1000);
    const t2 = performance.now();
    const approx = space.index.search(queries, K);
    const batchedQps = o.queries / ((performance.now() - t2) / 1000);

    // The exact answer: a Flat inner-product index over the very vectors the registry indexed.
    const exact = FaissIndex.fromFactory(space.dims, "Flat", "inner_product");
    const indexed = rowsWithFactors(space);
    exact.addWithIds(indexed.vectors, Float64Array.from(indexed.trackIds));
    const truth = exact.search(queries, K);
    return {
      factory: defaultIndexSpec(indexed.trackIds.length, space.dims).factory,
      vectors: space.index.ntotal,
      load_and_build_s: buildS,
      single_qps: singleQps,
      batched_qps: batchedQps,
      recall_at_10: recall(approx, truth),
      recall_at_10_ties: recallWithTies(approx, truth),
    };
  } finally {
    await db.$disconnect();
  }
}

function recall(r: SearchResult, truth: SearchResult): number {
  const nq = truth.ids.length / K;
  let hits = 0;
  for (let q = 0; q < nq; q++) {
    const want = new Set(truth.ids.subarray(q * K, (q + 1) * K));
    for (let j = 0; j < K; j++) if (want.has(r.ids[q * K + j]!)) hits++;
  }
  return hits / (nq * K);
}

/**
 * Recall@10 that also counts a result scoring at least the exact 10th neighbour's score: among near-identical factor
 * vectors (tracks with the same listeners) which ten of the tied ones exact search returns is arbitrary.
 */
function recallWithTies(r: SearchResult, truth: SearchResult): number {
  const nq = truth.ids.length / K;
  let hits = 0;
  for (let q = 0; q < nq; q++) {
    const want = new Set(truth.ids.subarray(q * K, (q + 1) * K));
    const tenth = truth.scores[q * K + K - 1]!;
    for (let j = 0; j < K; j++) if (want.has(r.ids[q * K + j]!) || r.scores[q * K + j]! >= tenth - TIE_TOLERANCE) hits++;
  }
  return hits / (nq * K);
}

const STAGES: Record<string, (o: never) => Promise<Figures>> = { generate, predict, search };
const [stage, json] = process.argv.slice(2);
const run = stage ? STAGES[stage] : undefined;
if (!run) throw new Error(`scale-stages: unknown stage "${stage}" (expected ${Object.keys(STAGES).join(", ")})`);
console.log(JSON.stringify(await run(JSON.parse(json ?? "{}") as never)));
