// The server's similarity indexes: one FAISS index per factor kind, over the kind's active factor set, swapped
// when the ActiveFactorSet pointer moves. Index files are cached on disk by set id, so a restart reads them
// instead of rebuilding, and a file an index worker built (index-worker.ts) is read rather than built again.
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Db, FactorKind } from "@curator/db/client.js";
import { FACTOR_KINDS } from "@curator/db/factor-sets.js";
import { loadActiveFactorSet } from "@curator/worker/storage/factor-sets.js";
import { defaultIndexDir, openSetIndex } from "./index-file.js";
import { MissingTracks } from "./missing-tracks.js";
import { toSpace, type VectorSpace } from "./space.js";


export interface IndexRegistryOptions {
  /** Folder of the index files; default INDEX_DIR or data/indexes under the repository root. */
  dir?: string;
  /** How long a pointer check stays valid: queries within it reuse the loaded set without a database read. */
  checkIntervalMs?: number;
  log?: (line: string) => void;
}

/** What one kind's slot holds now, for /readyz and /metrics. */
export interface LoadedIndex {
  kind: FactorKind;
  setId: number;
  vectors: number;
  /** Size of the index file (bytes; 0 when it could not be read). */
  fileBytes: number;
  /** Seconds the last load took: factor rows read plus index read or built. */
  loadSeconds: number;
}

interface Slot {
  space: VectorSpace | undefined;
  loaded: LoadedIndex | undefined;
  /** 0 until the first successful check. */
  checkedAt: number;
  pending: Promise<VectorSpace | undefined> | undefined;
}

export class IndexRegistry {
  readonly dir: string;
  /** Tracks every search leaves out (files a library rescan no longer found), re-read on the same interval as the pointers. */
  readonly missing: MissingTracks;
  private readonly checkIntervalMs: number;
  private readonly log: (line: string) => void;
  private readonly slots = new Map<FactorKind, Slot>();

  constructor(
    private readonly db: Db,
    options: IndexRegistryOptions = {},
  ) {
    this.dir = options.dir ?? defaultIndexDir();
    this.checkIntervalMs = options.checkIntervalMs ?? 5000;
    this.log = options.log ?? ((line) => console.error(`index: ${line}`));
    this.missing = new MissingTracks(db, this.checkIntervalMs);
  }

  /**
   * The active set of a kind with its index, or undefined when none exists; checks the pointer when the last check
   * is stale. While a newly active set loads (a 1M-vector build takes minutes), the set loaded before keeps answering.
   */
  get(kind: FactorKind): Promise<VectorSpace | undefined> {
    const slot = this.slot(kind);
    if (slot.pending) return slot.space ? Promise.resolve(slot.space) : slot.pending;
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

  /** The index each kind holds now (kinds with none left out); reads no database and loads nothing. */
  loadedIndexes(): LoadedIndex[] {
    return FACTOR_KINDS.flatMap((kind) => {
      const loaded = this.slots.get(kind)?.loaded;
      return loaded ? [loaded] : [];
    });
  }

  private slot(kind: FactorKind): Slot {
    let slot = this.slots.get(kind);
    if (!slot) this.slots.set(kind, (slot = { space: undefined, loaded: undefined, checkedAt: 0, pending: undefined }));
    return slot;
  }

  // One check per kind at a time: concurrent requests share it. The old space stays in use by searches that
  // hold it; the new one replaces it in a single assignment once fully built.
  private check(kind: FactorKind, slot: Slot): Promise<VectorSpace | undefined> {
    const run = (async () => {
      try {
        const pointer = await this.db.activeFactorSet.findUnique({ where: { kind } });
        if (!pointer) [slot.space, slot.loaded] = [undefined, undefined];
        else if (slot.space?.setId !== pointer.factorSetId) {
          const started = performance.now();
          slot.space = await this.load(kind);
          slot.loaded = slot.space && describe(slot.space, (performance.now() - started) / 1000);
        }
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
    const { index, path } = openSetIndex(set, this.dir, this.log);
    this.removeOlderFiles(kind, set.id);
    return toSpace(set, index, path);
  }

  // Only older sets' files: an index worker sharing the folder may already have written the next set's while this
  // server was still loading the one before (set ids only grow).
  private removeOlderFiles(kind: FactorKind, setId: number): void {
    const pattern = new RegExp(`^${kind}-set(\\d+)\\.faiss$`);
    for (const name of readdirSync(this.dir)) {
      const older = pattern.exec(name);
      if (older && Number(older[1]) < setId) rmSync(join(this.dir, name), { force: true });
    }
  }
}

function describe(space: VectorSpace, loadSeconds: number): LoadedIndex {
  let fileBytes = 0;
  try {
    fileBytes = statSync(space.indexPath).size;
  } catch {
    // an in-memory index without a file: size unknown
  }
  return { kind: space.kind, setId: space.setId, vectors: space.index.ntotal, fileBytes, loadSeconds };
}
