import { createReadStream } from "node:fs";
import type { Db } from "@curator/db/client.js";
import { DEFAULT_MAX_LINE_LENGTH, importListenChunks, type DuplicatePair, type ListenFormat, type ListenImport } from "../listens/import.js";
import { readLines } from "../listens/lines.js";
import type { BadItem } from "../types.js";
import { storeListenChunks, type ListenInput } from "./listen-store.js";

/** Distinct (user, track) pairs parsed and stored at a time: bounds memory on a 100M-listen file. */
export const LISTEN_CHUNK = 500_000;
/**
 * JSON-lines listens remembered at a time, when fewer pairs than LISTEN_CHUNK hold them: about 250 bytes each with
 * ListenBrainz's 36-character recording ids (0.5 GB), where a chunk of a few much-played pairs was unbounded before.
 */
export const LISTEN_CHUNK_LISTENS = 2_000_000;

export interface ListenFileOptions {
  path: string;
  format: ListenFormat;
  /** Distinct pairs per chunk (default LISTEN_CHUNK). */
  chunkPairs?: number;
  /** JSON-lines listens per chunk at most (default LISTEN_CHUNK_LISTENS). */
  chunkListens?: number;
  /** Called after each chunk is stored, with the lines read so far. */
  onChunk?: (linesRead: number) => void;
}

export interface ListenFileResult {
  stored: number;
  users: number;
  /** Malformed rows and unknown tracks, by row. */
  bad: BadItem[];
  /** Every (user, track) pair named on several rows, with all its rows, in order of its first row. */
  duplicates: DuplicatePair[];
}

const pairKey = (p: { user: string; track: string }) => `${p.user}\u0000${p.track}`;

/**
 * Imports and stores a listening-data file in chunks (one transaction, see storeListenChunks). The importer reports
 * a pair repeated within a chunk; the store says which pairs an earlier chunk stored, and for those the file is read
 * a second time to collect every row that named them. Memory grows with the repeated pairs, not with the file. JSON
 * lines are one play per row, so their repeated pairs are summed without a report.
 */
export async function storeListenFile(db: Db, opts: ListenFileOptions): Promise<ListenFileResult> {
  const chunking = { chunkPairs: opts.chunkPairs ?? LISTEN_CHUNK, chunkListens: opts.chunkListens ?? LISTEN_CHUNK_LISTENS };
  const source = opts.path;
  const chunks = (): AsyncGenerator<ListenImport> =>
    importListenChunks(readLines(createReadStream(source), DEFAULT_MAX_LINE_LENGTH), opts.format, chunking);
  // Rows are reported after the store's transaction: the caller's job writes would wait on it.
  const bad: BadItem[] = [];
  const duplicates = new Map<string, DuplicatePair>();
  const acrossChunks = new Set<string>();
  let read = 0;
  const parts = async function* () {
    for await (const part of chunks()) {
      bad.push(...part.errors.map((e) => ({ item: `${source} row ${e.row}`, reason: e.reason })));
      for (const d of part.duplicates) {
        const earlier = duplicates.get(pairKey(d));
        if (earlier) earlier.rows.push(...d.rows);
        else duplicates.set(pairKey(d), d);
      }
      read += part.linesRead;
      if (part.triplets.length === 0) continue;
      yield part.triplets;
      opts.onChunk?.(read);
    }
  };
  const onRepeated = (repeats: readonly ListenInput[]) => {
    for (const r of repeats) {
      acrossChunks.add(pairKey(r));
      if (!duplicates.has(pairKey(r))) duplicates.set(pairKey(r), { user: r.user, track: r.track, rows: [] });
    }
  };
  const out = await storeListenChunks(db, parts(), source, opts.format === "jsonl" ? {} : { onRepeated });
  if (acrossChunks.size > 0) {
    // The rows of a pair that spans chunks, gathered again from the whole file in order.
    for (const key of acrossChunks) duplicates.get(key)!.rows = [];
    for await (const part of chunks()) {
      const repeatedRows = new Map(part.duplicates.map((d) => [pairKey(d), d.rows]));
      for (const t of part.triplets) {
        const key = pairKey(t);
        if (acrossChunks.has(key)) duplicates.get(key)!.rows.push(...(repeatedRows.get(key) ?? [t.row]));
      }
    }
  }
  return {
    stored: out.stored,
    users: out.users,
    bad: [...bad, ...out.bad],
    duplicates: [...duplicates.values()].sort((a, b) => a.rows[0]! - b.rows[0]!),
  };
}
