import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { basename, isAbsolute, relative, resolve } from "node:path";
import { parse } from "csv-parse/sync";
import PQueue from "p-queue";
import type { BadItem, BatchResult, CatalogRow, OnProgress } from "../types.js";
import { describeAudio } from "../probe.js";
import { assignPositions, audioColumns, dropDuplicates, type UnplacedRow } from "./rows.js";
import { catalogueTextProblem, cleanCatalogueText, MAX_CATALOGUE_LINE } from "./fields.js";
import { readLines } from "../listens/lines.js";

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
  const { text, validUtf8, longLines } = await readCatalogueText(opts.csvPath);
  const { entries, bad } = parseUserCatalog(text, opts.csvPath, audioDir, validUtf8);
  for (const row of longLines) bad.push({ item: `${opts.csvPath} row ${row}`, reason: `line longer than ${MAX_CATALOGUE_LINE.toLocaleString("en")} characters: not a catalogue row` });
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

/**
 * The CSV's text with every line longer than MAX_CATALOGUE_LINE left empty (so row numbers stay right), streamed:
 * a 300 MB file of one line is never held whole (it took minutes and 1.4 GB). Whether the bytes were UTF-8 is
 * checked on the way, as the stream goes by.
 */
async function readCatalogueText(path: string): Promise<{ text: string; validUtf8: boolean; longLines: number[] }> {
  const strict = new TextDecoder("utf-8", { fatal: true });
  let validUtf8 = true;
  async function* checked(stream: AsyncIterable<Buffer>) {
    for await (const chunk of stream) {
      if (validUtf8) {
        try {
          strict.decode(chunk, { stream: true });
        } catch {
          validUtf8 = false;
        }
      }
      yield chunk;
    }
    if (validUtf8) {
      try {
        strict.decode();
      } catch {
        validUtf8 = false;
      }
    }
  }
  const lines: string[] = [];
  const longLines: number[] = [];
  for await (const line of readLines(Readable.from(checked(createReadStream(path))), MAX_CATALOGUE_LINE)) {
    if (line.length > MAX_CATALOGUE_LINE) longLines.push(lines.length + 1);
    lines.push(line.length > MAX_CATALOGUE_LINE ? "" : line);
  }
  return { text: lines.join("\n"), validUtf8, longLines };
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
    const text = cleanCatalogueText({ externalId: fields.track_id, title: fields.title, artist: fields.artist, album: fields.album });
    const problem = catalogueTextProblem(text);
    if (problem !== undefined) {
      bad.push({ item: where, reason: problem });
      continue;
    }
    Object.assign(fields, { track_id: text.externalId, title: text.title, artist: text.artist, album: text.album });
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
