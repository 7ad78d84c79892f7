// Access to the registry's spaces for the services: missing sets and index failures become GraphQL errors.
import type { FactorKind } from "@curator/db/client.js";
import { IndexFileError } from "../index/index-file.js";
import type { IndexRegistry } from "../index/registry.js";
import type { SearchResult } from "../index/faiss-index.js";
import { rowOf, type VectorSpace } from "../index/space.js";
import { failedPrecondition, indexError } from "../errors.js";

export type AudioMode = "MIDDLE" | "WHOLE";

const MADE_BY: Record<FactorKind, string> = {
  CF: "curator factorize",
  PREDICTED_MIDDLE: "curator predict",
  PREDICTED_WHOLE: "curator predict --mode whole",
};

/** The active space of a kind, or undefined when no set of that kind was made yet. */
export async function findSpace(registry: IndexRegistry, kind: FactorKind): Promise<VectorSpace | undefined> {
  try {
    return await registry.get(kind);
  } catch (err) {
    if (err instanceof IndexFileError) throw indexError(err);
    throw err;
  }
}

export async function requireSpace(registry: IndexRegistry, kind: FactorKind): Promise<VectorSpace> {
  const space = await findSpace(registry, kind);
  if (!space) throw failedPrecondition(`no active ${kind} factor set: run \`${MADE_BY[kind]}\` first`);
  return space;
}

/** The track's row, or FAILED_PRECONDITION naming why it has no vector in this space. */
export function requireRow(space: VectorSpace, trackId: number): number {
  const r = rowOf(space, trackId);
  if (r === undefined) {
    const why = space.kind === "CF" ? "it has no training listens" : "the convnet has not predicted it";
    throw failedPrecondition(`track ${trackId} has no ${space.kind} factors in set #${space.setId} (${why})`);
  }
  return r;
}

/** searchAsync (off the event loop) with FAISS failures reported as INDEX_ERROR. */
export async function searchSpace(space: VectorSpace, queries: Float32Array, k: number): Promise<SearchResult> {
  try {
    return await space.index.searchAsync(queries, k);
  } catch (err) {
    throw indexError(err);
  }
}
