// One active factor set held in memory with its FAISS index: the vectors answer exact cosines and dot products
// (hybrid rescoring, recommendations, paths) and the index answers nearest-neighbour queries.
import type { FactorKind } from "@curator/db/client.js";
import type { LoadedFactorSet } from "@curator/worker/storage/factor-sets.js";
import type { FaissIndex } from "./faiss-index.js";
import { medianOfPositive } from "../similarity/vectors.js";

export interface VectorSpace {
  kind: FactorKind;
  setId: number;
  dims: number;
  trackIds: Int32Array;
  /** Unit rows; zero rows for tracks without factors (cold tracks in a CF set), which the index leaves out. */
  unit: Float32Array;
  raw: Float32Array;
  norms: Float32Array;
  /** Median raw norm of the tracks that have factors (cold-start scoring, see similarity/recommend.ts). */
  medianNorm: number;
  users?: { userIds: Int32Array; raw: Float32Array; rowOf: Map<number, number> };
  /** Inner product over the non-zero unit rows, ids = track ids. */
  index: FaissIndex;
  /** Where `index` is stored (data/indexes/<kind>-set<id>.faiss). */
  indexPath: string;
  rowOfTrack: Map<number, number>;
}

export function toSpace(set: LoadedFactorSet, index: FaissIndex, indexPath: string): VectorSpace {
  const rowOfTrack = new Map<number, number>();
  set.trackIds.forEach((id, i) => rowOfTrack.set(id, i));
  const users = set.users && {
    ...set.users,
    rowOf: new Map(Array.from(set.users.userIds, (id, i) => [id, i] as const)),
  };
  return {
    kind: set.kind,
    setId: set.id,
    dims: set.dims,
    trackIds: set.trackIds,
    unit: set.unit,
    raw: set.raw,
    norms: set.norms,
    medianNorm: medianOfPositive(set.norms),
    ...(users ? { users } : {}),
    index,
    indexPath,
    rowOfTrack,
  };
}

/** The track's row in the space, or undefined when it has no vector there (absent, or a zero row). */
export function rowOf(space: VectorSpace, trackId: number): number | undefined {
  const r = space.rowOfTrack.get(trackId);
  return r !== undefined && space.norms[r]! > 0 ? r : undefined;
}
