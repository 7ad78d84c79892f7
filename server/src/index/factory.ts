// Which index a catalogue of n vectors gets by default, and the search settings that go with it.
import type { FactoryString, FaissIndex, ParameterName } from "./faiss-index.js";

// Below this, exact search is affordable (bench/search.ts: Flat inner product over 40-dim vectors costs about
// n × 40 multiply-adds per query) and gives exact recommendations; above it latency grows linearly with n.
export const EXACT_SEARCH_LIMIT = 200_000;

export interface IndexSpec {
  factory: FactoryString;
  /** faiss::ParameterSpace settings applied after training and again after reading the index file. */
  parameters: Partial<Record<ParameterName, number>>;
}

/**
 * "Flat" (exact) below EXACT_SEARCH_LIMIT vectors. Above it, an inverted file with about 4·√n lists (FAISS's
 * guideline is 4–16·√n, rounded to a power of two) over 4-bit fast-scan PQ codes, one sub-quantizer per dimension,
 * whose candidates are re-ranked exactly (RFlat). Measured on 1M random unit 40-d vectors, the hardest case
 * (`npm run bench -- search -- --n 1000000 --index "IVF4096,PQ40x4fs,RFlat k_factor_rf=10 nprobe=768,1024"`):
 * a quarter of the lists with 10 candidates per result gives recall@10 0.98 at ≈1,900 queries per CPU-second, where
 * IVF4096,Flat needs every list for that recall. Clustered factor data reaches it with fewer lists. With fewer
 * dimensions each 4-bit code carries a larger share of the distance error, so more candidates are re-ranked (200k
 * random vectors: 8 dimensions need 50 per result for 0.99, 40 need 10 for 0.97). HNSW is not the default: its 1M
 * build took 20 minutes here. Indexes are rebuilt per factor set, so no removal is needed.
 */
export function defaultIndexSpec(n: number, dims: number): IndexSpec {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`defaultIndexSpec: vector count ${n} is not a non-negative integer`);
  }
  if (!Number.isInteger(dims) || dims < 1) {
    throw new RangeError(`defaultIndexSpec: dimension ${dims} is not a positive integer`);
  }
  if (n < EXACT_SEARCH_LIMIT) return { factory: "Flat", parameters: {} };
  const nlist = 2 ** Math.round(Math.log2(4 * Math.sqrt(n)));
  const kFactor = Math.max(10, Math.ceil(400 / dims));
  return { factory: `IVF${nlist},PQ${dims}x4fs,RFlat`, parameters: { nprobe: nlist / 4, k_factor_rf: kFactor } };
}

/** Sets a spec's parameters on an index built from it or read back from its file. */
export function applyIndexParameters(index: FaissIndex, spec: IndexSpec): void {
  for (const [name, value] of Object.entries(spec.parameters) as [ParameterName, number][]) index.setParameter(name, value);
}
