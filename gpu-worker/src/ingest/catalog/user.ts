import { isUtf8 } from "node:buffer";
import { readFile } from "node:fs/promises";
import { basename, isAbsolute, relative, resolve } from "node:path";
import { parse } from "csv-parse/sync";
import PQueue from "p-queue";
import type { BadItem, BatchResult, CatalogRow, OnProgress } from "../types.js";
import { describeAudio } from "../probe.js";
import { assignPositions, audioColumns, dropDuplicates, type UnplacedRow } from "./rows.js";

/** Header of a user's catalogue CSV, in any column order. */
export const USER_CATALOG_COLUMNS = ["track_id", "artist", "album", "title", "path"] as const;

export interface UserCatalogOptions {
  csvPath: string;
  /** Folder the CSV's `path` column is relative to; paths may not leave it. */
  audioDir: string;
  onProgress?: OnProgress;
  concurrency?: number;
}

interface UserEntry {
  row: number;
  fields: Record<(typeof USER_CATALOG_COLUMNS)[number], string>;
  audioPath: string;
}

/**
 * A user's own catalogue (`track_id,artist,album,title,path` + a folder of audio) as catalogue rows. Every bad row
 * is reported with its CSV row number (header = row 1) and the rest are returned; only an unreadable file or a
 * wrong header stops the whole file.
 */
export async function readUserCatalog(opts: UserCatalogOptions): Promise<BatchResult<CatalogRow>> {
  const audioDir = resolve(opts.audioDir);
  const bytes = await readFile(opts.csvPath);
  const { entries, bad } = parseUserCatalog(bytes.toString("utf8"), opts.csvPath, audioDir, isUtf8(bytes));
  const unplaced: { entry: UserEntry; item: UnplacedRow }[] = [];
  const queue = new PQueue({ concurrency: opts.concurrency ?? 2 });
  let done = 0;
  await queue.addAll(
    entries.map((entry) => async () => {
      try {
        const facts = await describeAudio(entry.audioPath);
        const f = entry.fields;
        unplaced.push({
          entry,
          item: {
            row: { externalId: f.track_id, title: f.title, artist: f.artist, album: f.album, albumSource: `csv:${basename(opts.csvPath)}`,
              licence: "user-supplied", ...audioColumns(facts), audioPath: entry.audioPath, origin: "user" },
            order: entry.row,
            sortKey: entry.audioPath,
          },
        });
      } catch (e) {
        bad.push({ item: `${opts.csvPath} row ${entry.row} (${entry.audioPath})`, reason: reasonOf(e) });
      }
      opts.onProgress?.(++done, entries.length, entry.audioPath);
    }),
  );
  // CSV order decides which copy of a duplicate is kept and the album positions.
  unplaced.sort((a, b) => a.entry.row - b.entry.row);
  const deduped = dropDuplicates(unplaced.map((u) => ({ ...u.item.row, entry: u.entry, item: u.item })));
  for (const d of deduped.duplicates) bad.push({ item: `${opts.csvPath} row ${d.row.entry.row} (${d.row.audioPath})`, reason: d.reason });
  const rows = assignPositions(deduped.rows.map((d) => d.item));
  return { rows, bad: bad.sort((a, b) => rowNumber(a.item) - rowNumber(b.item)) };
}

/** Pure half: header and per-row checks that need no file system beyond path arithmetic. */
export function parseUserCatalog(text: string, csvPath: string, audioDir: string, validUtf8 = true): { entries: UserEntry[]; bad: BadItem[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // info.lines is the line the record ends on: the row number a user sees in an editor.
    records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, bom: true, trim: true }) as unknown as typeof records;
  } catch (e) {
    throw new Error(`${csvPath}: not a readable CSV: ${(e as Error).message}`);
  }
  const header = records[0]?.record.map((h) => h.toLowerCase());
  const missing = USER_CATALOG_COLUMNS.filter((c) => !header?.includes(c));
  const extra = (header ?? []).filter((h) => !(USER_CATALOG_COLUMNS as readonly string[]).includes(h));
  if (!header || missing.length > 0 || extra.length > 0) {
    throw new Error(`${csvPath} row 1: expected columns ${USER_CATALOG_COLUMNS.join(",")}, got ${header?.join(",") ?? "nothing"}` +
      (missing.length ? ` (missing ${missing.join(", ")})` : "") + (extra.length ? ` (unexpected ${extra.join(", ")})` : ""));
  }
  const entries: UserEntry[] = [];
  const bad: BadItem[] = [];
  for (const { record, info } of records.slice(1)) {
    const row = info.lines;
    const where = `${csvPath} row ${row}`;
    if (record.length !== header.length) {
      bad.push({ item: where, reason: `${record.length} columns, expected ${header.length}` });
      continue;
    }
    // Decoding replaced the file's non-UTF-8 bytes by U+FFFD; storing them would mangle names for good.
    if (!validUtf8 && record.some((f) => f.includes("\uFFFD"))) {
      bad.push({ item: where, reason: "not UTF-8 (Latin-1 or Windows-1252?): save the CSV as UTF-8" });
      continue;
    }
    const fields = Object.fromEntries(header.map((h, i) => [h, record[i] ?? ""])) as UserEntry["fields"];
    const empty = USER_CATALOG_COLUMNS.filter((c) => c !== "album" && fields[c] === "");
    if (empty.length > 0) {
      bad.push({ item: where, reason: `empty ${empty.join(", ")}` });
      continue;
    }
    const audioPath = resolve(audioDir, fields.path);
    const rel = relative(audioDir, audioPath);
    if (rel.startsWith("..") || isAbsolute(rel)) {
      bad.push({ item: where, reason: `path "${fields.path}" leaves the audio folder ${audioDir}` });
      continue;
    }
    entries.push({ row, fields, audioPath });
  }
  return { entries, bad };
}

function reasonOf(e: unknown): string {
  const err = e as Error & { kind?: string; reason?: string };
  // DecodeError carries the kind (missing, empty, not-audio, corrupt) and the tool's own words separately.
  return err.kind && err.reason ? `${err.kind}: ${err.reason}` : err.message;
}

function rowNumber(item: string): number {
  return Number(/ row (\d+)/.exec(item)?.[1] ?? 0);
}
