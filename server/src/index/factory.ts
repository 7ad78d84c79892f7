// Which index a catalogue of n vectors gets by default.
import type { FactoryString } from "./faiss-index.js";

// Below this, exact search is affordable (bench/search.ts: Flat inner product over 40-dim vectors costs about
// n × 40 multiply-adds per query) and gives exact recommendations; above it latency grows linearly with n.
export const EXACT_SEARCH_LIMIT = 200_000;

/**
 * "Flat" (exact) below EXACT_SEARCH_LIMIT vectors, else IVF with about 4·√n lists (FAISS's guideline is 4–16·√n),
 * rounded to a power of two. IVF rather than HNSW because the catalogue changes and HNSW cannot remove ids.
 */
export function defaultFactory(n: number): FactoryString {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`defaultFactory: vector count ${n} is not a non-negative integer`);
  }
  if (n < EXACT_SEARCH_LIMIT) return "Flat";
  const nlist = 2 ** Math.round(Math.log2(4 * Math.sqrt(n)));
  return `IVF${nlist},Flat`;
}
