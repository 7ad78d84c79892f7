// FaissIndex: a typed wrapper over one FAISS index, in FAISS's own vocabulary (index_factory strings,
// train / add_with_ids / search / remove_ids, nprobe and efSearch). Ids are the caller's (e.g. track ids).
import { randomBytes } from "node:crypto";
import { renameSync, rmSync } from "node:fs";
import {
  METRIC_INNER_PRODUCT,
  METRIC_L2,
  SafeIndex,
  type NativeIds,
  type NativeIndex,
  type NativeSearchParams,
  type NativeSearchResult,
} from "./native.js";

export type Metric = "inner_product" | "l2";

/**
 * The index_factory strings the project uses: exact; inverted file with nlist lists; HNSW with M links; inverted
 * file over 4-bit product-quantized codes (FAISS's SIMD "fast scan") whose candidates are re-ranked exactly.
 */
export type FactoryString = "Flat" | `IVF${number},Flat` | `HNSW${number}` | `IVF${number},PQ${number}x4fs,RFlat`;

const FACTORY_STRINGS = [/^Flat$/, /^IVF\d+,Flat$/, /^HNSW\d+$/, /^IVF\d+,PQ\d+x4fs,RFlat$/];

export function isFactoryString(s: string): s is FactoryString {
  return FACTORY_STRINGS.some((re) => re.test(s));
}

/** faiss::ParameterSpace names: search width (IVF lists, HNSW queue), HNSW build queue, re-ranked candidates per k. */
const PARAMETER_NAMES = ["nprobe", "efSearch", "efConstruction", "k_factor_rf"] as const;
export type ParameterName = (typeof PARAMETER_NAMES)[number];

export function isParameterName(s: string): s is ParameterName {
  return (PARAMETER_NAMES as readonly string[]).includes(s);
}

export type SearchParams = NativeSearchParams;

export type Ids = Float64Array | BigInt64Array | readonly number[];

export interface SearchResult {
  /** nq × k, row-major; -1 where fewer than k vectors were found (IVF with a small nprobe, or a small index). */
  ids: Float64Array;
  /** FAISS distances: the inner product for "inner_product" (higher is nearer), squared distance for "l2". */
  scores: Float32Array;
  k: number;
}

// Flat and HNSW number vectors 0..n-1 and renumber on removal; IDMap2 keeps the caller's ids. IVF stores ids
// in its inverted lists already, except under RFlat, which looks candidates up by position in its exact copy.
function withIdMap(description: string): string {
  const ownIds = /^(IVF|IDMap)/.test(description) && !/,(RFlat|Refine)/.test(description);
  return ownIds ? description : `IDMap2,${description}`;
}

function nativeIds(ids: Ids): NativeIds {
  return ids instanceof Float64Array || ids instanceof BigInt64Array ? ids : Float64Array.from(ids);
}

function result(r: NativeSearchResult, k: number): SearchResult {
  return { ids: r.labels, scores: r.distances, k };
}

export class FaissIndex {
  private constructor(private readonly native: NativeIndex) {}

  static fromFactory(d: number, description: FactoryString, metric: Metric = "inner_product"): FaissIndex {
    const code = metric === "inner_product" ? METRIC_INNER_PRODUCT : METRIC_L2;
    return new FaissIndex(SafeIndex.fromFactory(d, withIdMap(description), code));
  }

  static read(path: string): FaissIndex {
    return new FaissIndex(SafeIndex.read(path));
  }

  get d(): number {
    return this.native.getDimension();
  }

  get ntotal(): number {
    return this.native.ntotal();
  }

  get isTrained(): boolean {
    return this.native.isTrained();
  }

  /** IVF learns its coarse centroids here (FAISS wants ≥ 39 training vectors per list); Flat and HNSW need none. */
  train(vectors: Float32Array): void {
    this.native.train(vectors);
  }

  addWithIds(vectors: Float32Array, ids: Ids): void {
    this.native.addWithIds(vectors, nativeIds(ids));
  }

  /** Returns how many of the ids were present. HNSW cannot remove (FAISS throws): rebuild it instead. */
  removeIds(ids: Ids): number {
    return this.native.removeIds(nativeIds(ids));
  }

  /** Sets an index default through faiss::ParameterSpace; efConstruction applies to vectors added afterwards. */
  setParameter(name: ParameterName, value: number): void {
    this.native.setParameter(name, value);
  }

  /**
   * Blocks the event loop for the search; for a server, prefer searchAsync. params apply to this call only.
   * `into` (from `resultBuffers`) receives the result instead of fresh arrays: a search of a few thousand vectors
   * takes microseconds, and two new ArrayBuffers per call then cost the garbage collector as much again.
   */
  search(queries: Float32Array, k: number, params?: SearchParams, into?: SearchResult): SearchResult {
    if (!into) return result(this.native.search(queries, k, params), k);
    if (into.k !== k) throw new RangeError(`search: result buffers were made for k = ${into.k}, not ${k}`);
    this.native.search(queries, k, params, { distances: into.scores, labels: into.ids });
    return into;
  }

  /** Reusable result arrays for `search(…, into)` of nq queries. */
  static resultBuffers(nq: number, k: number): SearchResult {
    return { ids: new Float64Array(nq * k), scores: new Float32Array(nq * k), k };
  }

  /** Runs on the libuv thread pool; concurrent calls are safe, and mutations wait for running searches. */
  async searchAsync(queries: Float32Array, k: number, params?: SearchParams): Promise<SearchResult> {
    return result(await this.native.searchAsync(queries, k, params), k);
  }

  /** Writes beside the target and renames, so a reader never sees a half-written index. */
  write(path: string): void {
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      this.native.write(tmp);
      renameSync(tmp, path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  }
}
