import { createReadStream } from "node:fs";
import type { Db } from "@curator/db/client.js";
import {
  DEFAULT_MAX_LINE_LENGTH,
  importListenChunks,
  pairKey,
  sameListenReason,
  type DuplicatePair,
  type ListenFormat,
  type ListenImport,
  type RowError,
  type TimedListen,
} from "../listens/import.js";
import { readLines } from "../listens/lines.js";
import { rangesWithin, repeatedListens } from "../listens/repeated-listens.js";
import type { BadItem } from "../types.js";
import { storeListenChunks, type ListenInput, type RepeatedPair } from "./listen-store.js";

/** Distinct (user, track) pairs parsed and stored at a time: bounds memory on a 100M-listen file. */
export const LISTEN_CHUNK = 500_000;
/**
 * JSON-lines listens remembered at a time, when fewer pairs than LISTEN_CHUNK hold them: about 250 bytes each with
 * ListenBrainz's 36-character recording ids (0.5 GB), where a chunk of a few much-played pairs was unbounded before.
 */
export const LISTEN_CHUNK_LISTENS = 2_000_000;
/**
 * Listens of pairs that span chunks held at a time to find a JSON-lines listen repeated in a later chunk: 20 bytes
 * each (0.5 GB, what a chunk holds); a log with more of them is read once more per this many.
 */
export const HELD_LISTENS = 25_000_000;

export interface ListenFileOptions {
  path: string;
  format: ListenFormat;
  /** Distinct pairs per chunk (default LISTEN_CHUNK). */
  chunkPairs?: number;
  /** JSON-lines listens per chunk at most (default LISTEN_CHUNK_LISTENS). */
  chunkListens?: number;
  /** Listens of pairs that span chunks held at a time (default HELD_LISTENS). */
  heldListens?: number;
  /** Called after each chunk is stored, with the lines read so far. */
  onChunk?: (linesRead: number) => void;
  /** Replace the stored listens of every user the file names (default: append to them). */
  replace?: boolean;
}

export interface ListenFileResult {
  stored: number;
  users: number;
  /** Listens dropped by `replace`. */
  replaced: number;
  /** Malformed rows, repeated JSON-lines listens and unknown tracks, by row. */
  bad: BadItem[];
  /** Every (user, track) pair named on several rows, with all its rows, in order of its first row. */
  duplicates: DuplicatePair[];
}

/**
 * Imports and stores a listening-data file in chunks (one transaction, see storeListenChunks). The importer reports
 * a pair repeated within a chunk, and a repeated JSON-lines listen; the store says which pairs an earlier chunk
 * stored, and for those the file is read a second time, inside the transaction: a triplet file's repeated pair is
 * reported with every row that named it; a JSON-lines listen that an earlier chunk had (the same pair at the same
 * time) is reported and its play taken back. Memory grows with the pairs that span chunks (their JSON-lines listens
 * are held heldListens at a time, the file read once per so many), not with the file. JSON lines are one play per
 * row, so their repeated pairs are summed without a report.
 */
export async function storeListenFile(db: Db, opts: ListenFileOptions): Promise<ListenFileResult> {
  const chunking = { chunkPairs: opts.chunkPairs ?? LISTEN_CHUNK, chunkListens: opts.chunkListens ?? LISTEN_CHUNK_LISTENS };
  const source = opts.path;
  const chunks = (onListen?: (listen: TimedListen) => void): AsyncGenerator<ListenImport> =>
    importListenChunks(readLines(createReadStream(source), DEFAULT_MAX_LINE_LENGTH), opts.format, { ...chunking, onListen });
  // Rows are reported after the store's transaction: the caller's job writes would wait on it.
  const errors: RowError[] = [];
  const duplicates = new Map<string, DuplicatePair>();
  // Pairs that span chunks, numbered in the order the store found them, and their plays stored (JSON lines: listens).
  const acrossChunks = new Map<string, number>();
  const spanning: { user: string; track: string }[] = [];
  const storedPlays: number[] = [];
  let read = 0;
  const parts = async function* () {
    for await (const part of chunks()) {
      errors.push(...part.errors);
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
  const onRepeated = (repeats: readonly RepeatedPair[]) => {
    for (const r of repeats) {
      let pair = acrossChunks.get(pairKey(r));
      if (pair === undefined) {
        pair = spanning.push({ user: r.user, track: r.track }) - 1;
        acrossChunks.set(pairKey(r), pair);
        if (opts.format !== "jsonl" && !duplicates.has(pairKey(r))) duplicates.set(pairKey(r), { user: r.user, track: r.track, rows: [] });
      }
      storedPlays[pair] = r.stored;
    }
  };
  // The rows of a pair that spans chunks, gathered again from the whole file in order.
  const gatherRows = async () => {
    for (const key of acrossChunks.keys()) duplicates.get(key)!.rows = [];
    for await (const part of chunks()) {
      const repeatedRows = new Map(part.duplicates.map((d) => [pairKey(d), d.rows]));
      for (const t of part.triplets) {
        const key = pairKey(t);
        if (acrossChunks.has(key)) duplicates.get(key)!.rows.push(...(repeatedRows.get(key) ?? [t.row]));
      }
    }
  };
  // The listens of pairs that span chunks, as numbers, a range of pairs at a time: a repeat among them is in a later
  // chunk than its original, since the importer drops a repeat within a chunk.
  const takeBackRepeatedListens = async (): Promise<ListenInput[]> => {
    const takeBack: ListenInput[] = [];
    for (const range of rangesWithin(storedPlays, opts.heldListens ?? HELD_LISTENS)) {
      const pairs = new Uint32Array(range.listens);
      const times = new Float64Array(range.listens);
      const rows = new Float64Array(range.listens);
      let held = 0;
      const hold = (l: TimedListen) => {
        const pair = acrossChunks.get(pairKey(l));
        if (pair === undefined || pair < range.start || pair >= range.end) return;
        pairs[held] = pair;
        times[held] = l.time;
        rows[held] = l.row;
        held++;
      };
      // The chunks are stored already: only their listens are wanted.
      for await (const _ of chunks(hold));
      if (held !== range.listens) {
        throw new Error(`${source}: read again, ${held} listens of pairs that span chunks where the import stored ${range.listens}: was the file changed meanwhile?`);
      }
      const repeats = new Map<number, number>();
      for (const i of repeatedListens(pairs, times)) {
        const { user, track } = spanning[pairs[i]!]!;
        errors.push({ row: rows[i]!, reason: sameListenReason(user, track) });
        repeats.set(pairs[i]!, (repeats.get(pairs[i]!) ?? 0) + 1);
      }
      for (const [pair, plays] of repeats) takeBack.push({ ...spanning[pair]!, plays });
    }
    return takeBack;
  };
  const takeBack = async (): Promise<ListenInput[]> => {
    if (acrossChunks.size === 0) return [];
    if (opts.format === "jsonl") return takeBackRepeatedListens();
    await gatherRows();
    return [];
  };
  const out = await storeListenChunks(db, parts(), source, { onRepeated, takeBack, replace: opts.replace ?? false });
  return {
    stored: out.stored,
    users: out.users,
    replaced: out.replaced,
    bad: [...errors.sort((a, b) => a.row - b.row).map((e) => ({ item: `${source} row ${e.row}`, reason: e.reason })), ...out.bad],
    duplicates: [...duplicates.values()].sort((a, b) => a.rows[0]! - b.rows[0]!),
  };
}
