// The server's similarity indexes: one FAISS index per factor kind, over the kind's active factor set, swapped
// when the ActiveFactorSet pointer moves. Index files are cached on disk by set id, so a restart reads them
// instead of rebuilding.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Db, FactorKind } from "@curator/db/client.js";
import { repoRoot } from "@curator/db/config.js";
import { loadActiveFactorSet } from "@curator/worker/storage/factor-sets.js";
import { FaissIndex } from "./faiss-index.js";
import { applyIndexParameters, defaultIndexSpec } from "./factory.js";
import { indexedRows, toSpace, type VectorSpace } from "./space.js";

export const FACTOR_KINDS: readonly FactorKind[] = ["CF", "PREDICTED_MIDDLE", "PREDICTED_WHOLE"];

export interface IndexRegistryOptions {
  /** Folder of the index files; default INDEX_DIR or data/indexes under the repository root. */
  dir?: string;
  /** How long a pointer check stays valid: queries within it reuse the loaded set without a database read. */
  checkIntervalMs?: number;
  log?: (line: string) => void;
}

/** The stored index file of the active set could not be used; it was moved aside and the next request rebuilds it. */
export class IndexFileError extends Error {}

interface Slot {
  space: VectorSpace | undefined;
  /** 0 until the first successful check. */
  checkedAt: number;
  pending: Promise<VectorSpace | undefined> | undefined;
}

export class IndexRegistry {
  readonly dir: string;
  private readonly checkIntervalMs: number;
  private readonly log: (line: string) => void;
  private readonly slots = new Map<FactorKind, Slot>();

  constructor(
    private readonly db: Db,
    options: IndexRegistryOptions = {},
  ) {
    this.dir = options.dir ?? process.env.INDEX_DIR ?? resolve(repoRoot, "data", "indexes");
    this.checkIntervalMs = options.checkIntervalMs ?? 5000;
    this.log = options.log ?? ((line) => console.error(`index: ${line}`));
  }

  /** The active set of a kind with its index, or undefined when none exists; checks the pointer when the last check is stale. */
  get(kind: FactorKind): Promise<VectorSpace | undefined> {
    const slot = this.slot(kind);
    if (slot.pending) return slot.pending;
    if (slot.checkedAt > 0 && Date.now() - slot.checkedAt < this.checkIntervalMs) return Promise.resolve(slot.space);
    return this.check(kind, slot);
  }

  /** Checks the pointer now (after a check already running), e.g. right after a stage switched the active set. */
  async refresh(kind: FactorKind): Promise<VectorSpace | undefined> {
    const slot = this.slot(kind);
    await slot.pending?.catch(() => undefined);
    return slot.pending ?? this.check(kind, slot);
  }

  /** Loads every kind that has an active set (server start); failures are logged and retried by the next request. */
  async warm(): Promise<void> {
    for (const kind of FACTOR_KINDS) {
      try {
        const space = await this.refresh(kind);
        if (space) this.log(`${kind} set #${space.setId}: ${space.index.ntotal} tracks indexed`);
      } catch (err) {
        this.log(`${kind}: ${(err as Error).message}`);
      }
    }
  }

  private slot(kind: FactorKind): Slot {
    let slot = this.slots.get(kind);
    if (!slot) this.slots.set(kind, (slot = { space: undefined, checkedAt: 0, pending: undefined }));
    return slot;
  }

  // One check per kind at a time: concurrent requests share it. The old space stays in use by searches that
  // hold it; the new one replaces it in a single assignment once fully built.
  private check(kind: FactorKind, slot: Slot): Promise<VectorSpace | undefined> {
    const run = (async () => {
      try {
        const pointer = await this.db.activeFactorSet.findUnique({ where: { kind } });
        if (!pointer) slot.space = undefined;
        else if (slot.space?.setId !== pointer.factorSetId) slot.space = await this.load(kind);
        slot.checkedAt = Date.now();
        return slot.space;
      } finally {
        slot.pending = undefined;
      }
    })();
    slot.pending = run;
    return run;
  }

  private async load(kind: FactorKind): Promise<VectorSpace | undefined> {
    const set = await loadActiveFactorSet(this.db, kind, kind === "CF");
    if (!set) return undefined;
    const path = join(this.dir, `${kind}-set${set.id}.faiss`);
    const { vectors, ids } = indexedRows(set);
    const spec = defaultIndexSpec(ids.length, set.dims);
    let index: FaissIndex;
    if (existsSync(path)) {
      index = readChecked(path, set.dims, ids.length);
    } else {
      index = FaissIndex.fromFactory(set.dims, spec.factory, "inner_product");
      if (!index.isTrained) index.train(vectors);
      index.addWithIds(vectors, ids);
      mkdirSync(this.dir, { recursive: true });
      index.write(path);
      this.log(`${kind} set #${set.id}: built ${spec.factory} in ${path} (${ids.length} of ${set.trackIds.length} tracks have factors)`);
    }
    applyIndexParameters(index, spec);
    this.removeOlderFiles(kind, path);
    return toSpace(set, index, path);
  }

  private removeOlderFiles(kind: FactorKind, current: string): void {
    const pattern = new RegExp(`^${kind}-set\\d+\\.faiss$`);
    for (const name of readdirSync(this.dir)) {
      const path = join(this.dir, name);
      if (pattern.test(name) && path !== current) rmSync(path, { force: true });
    }
  }
}

// A file named after the active set was written from that set, so a mismatch or read error means damage (a
// truncated copy, a bad disk). It is moved aside for inspection rather than silently replaced, and the request
// fails with the reason; the next request finds no file and rebuilds.
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
