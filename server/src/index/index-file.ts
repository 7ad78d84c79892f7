// The search index of one factor set, stored as data/indexes/<kind>-set<id>.faiss: built from the set's non-zero
// unit rows with the default spec for its size, or read back when a server or an index worker built it before.
// Both the server's registry and the `index` queue's worker go through here, so they write the same file.
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import type { FactorKind } from "@curator/db/client.js";
import type { LoadedFactorSet } from "@curator/worker/storage/factor-sets.js";
import { FaissIndex } from "./faiss-index.js";
import { applyIndexParameters, defaultIndexSpec } from "./factory.js";
import { countWithFactors, rowsWithFactors } from "@curator/db/factor-sets.js";
import { dataPaths } from "@curator/worker/paths.js";

/** The stored index file of the active set could not be used; it was moved aside and the next request rebuilds it. */
export class IndexFileError extends Error {}

/** INDEX_DIR, or $DATA_DIR/indexes: servers and index workers sharing files name one folder. */
export function defaultIndexDir(): string {
  return dataPaths.indexes();
}

export function indexFilePath(dir: string, kind: FactorKind, setId: number): string {
  return join(dir, `${kind}-set${setId}.faiss`);
}

export interface SetIndex {
  index: FaissIndex;
  path: string;
  /** False when an existing file was read. */
  built: boolean;
}

/** Reads the set's index file, or builds it and writes the file (atomically) when there is none; parameters applied. */
export function openSetIndex(set: LoadedFactorSet, dir: string, log: (line: string) => void): SetIndex {
  const path = indexFilePath(dir, set.kind, set.id);
  const count = countWithFactors(set);
  const spec = defaultIndexSpec(count, set.dims);
  let index: FaissIndex;
  const built = !existsSync(path);
  if (!built) {
    // Reading needs only the count to check the file against; the rows are copied out only to build.
    index = readChecked(path, set.dims, count);
  } else {
    const { vectors, trackIds } = rowsWithFactors(set);
    index = FaissIndex.fromFactory(set.dims, spec.factory, "inner_product");
    if (!index.isTrained) index.train(vectors);
    index.addWithIds(vectors, Float64Array.from(trackIds));
    mkdirSync(dir, { recursive: true });
    index.write(path);
    log(`${set.kind} set #${set.id}: built ${spec.factory} in ${path} (${count} of ${set.trackIds.length} tracks have factors)`);
  }
  applyIndexParameters(index, spec);
  return { index, path, built };
}

// A file named after the set was written from that set, so a mismatch or read error means damage (a truncated
// copy, a bad disk). It is moved aside for inspection rather than silently replaced, and the request fails with
// the reason; the next request finds no file and rebuilds.
function readChecked(path: string, dims: number, count: number): FaissIndex {
  try {
    const index = FaissIndex.read(path);
    if (index.d !== dims || index.ntotal !== count) {
      throw new Error(`holds ${index.ntotal} vectors of ${index.d} dimensions, the set has ${count} of ${dims}`);
    }
    return index;
  } catch (err) {
    renameSync(path, `${path}.bad`);
    throw new IndexFileError(`index file ${path} is unusable (${(err as Error).message}); moved to ${path}.bad, the next request rebuilds it`);
  }
}
