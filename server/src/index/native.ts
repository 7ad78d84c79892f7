// The faiss-node addon as built by scripts/native/20-faiss-node.sh: only its SafeIndex class is used, because the
// upstream classes abort the process on FAISS errors and take plain arrays (see docs/dependencies.md).
import { createRequire } from "node:module";
import { setting } from "@curator/db/settings.js";

export interface NativeSearchResult {
  distances: Float32Array;
  labels: Float64Array;
}

export interface NativeSearchParams {
  nprobe?: number;
  efSearch?: number;
}

export type NativeIds = Float64Array | BigInt64Array;

export interface NativeIndex {
  getDimension(): number;
  ntotal(): number;
  isTrained(): boolean;
  train(vectors: Float32Array): void;
  addWithIds(vectors: Float32Array, ids: NativeIds): void;
  removeIds(ids: NativeIds): number;
  setParameter(name: string, value: number): void;
  /** Writes into `out` (nq × k each) and returns it when given, so a loop of searches allocates no arrays. */
  search(queries: Float32Array, k: number, params?: NativeSearchParams, out?: NativeSearchResult): NativeSearchResult;
  searchAsync(queries: Float32Array, k: number, params?: NativeSearchParams): Promise<NativeSearchResult>;
  write(path: string): void;
}

interface NativeIndexClass {
  fromFactory(d: number, description: string, metric: number): NativeIndex;
  read(path: string): NativeIndex;
}

// Values of faiss::MetricType.
export const METRIC_INNER_PRODUCT = 0;
export const METRIC_L2 = 1;

// OpenMP and OpenBLAS size their thread pools when the addon is loaded: on the shared 2-core machine two
// threads made batched search collapse to 30–600 q/s under load, so default to one unless the operator chose.
process.env.OMP_NUM_THREADS = String(setting("OMP_NUM_THREADS"));

const addon = createRequire(import.meta.url)("faiss-node") as { SafeIndex?: NativeIndexClass };
if (typeof addon.SafeIndex !== "function") {
  throw new Error(
    "faiss-node was loaded but has no SafeIndex class: it was not built by scripts/native/20-faiss-node.sh " +
      "(run `bash scripts/native/20-faiss-node.sh`)",
  );
}
export const SafeIndex: NativeIndexClass = addon.SafeIndex;
