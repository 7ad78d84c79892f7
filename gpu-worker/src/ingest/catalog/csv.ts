import { writeFileAtomic } from "../../util/atomic-write.js";
import { parse } from "csv-parse/sync";
import type { CatalogRow } from "../types.js";

/**
 * Columns of data/corpus/catalog.csv, one row per track, in this order:
 * externalId (stable key "<package>/<path>"), title, artist (composer, or "<package> soundtrack" when no credit
 * names one), album, albumSource ("debian:<package>" / "csv:<file>"), licence (short name from the package's
 * copyright file), position (1-based on the album), durationSec, audioPath (absolute), contentHash (sha256 hex of the
 * file), channels, sampleRate (Hz), codec (ffprobe codec name), isShort (< 45 s: stinger/intro/jingle), isSilent
 * (decoded peak ≤ -60 dBFS), origin (recording | stem-mix | tracker-render | user).
 */
export const CATALOG_COLUMNS = [
  "externalId", "title", "artist", "album", "albumSource", "licence", "position", "durationSec", "audioPath",
  "contentHash", "channels", "sampleRate", "codec", "isShort", "isSilent", "origin",
] as const satisfies readonly (keyof CatalogRow)[];

function field(value: string | number | boolean): string {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function catalogToCsv(rows: readonly CatalogRow[]): string {
  const lines = [CATALOG_COLUMNS.join(",")];
  for (const row of rows) lines.push(CATALOG_COLUMNS.map((c) => field(row[c])).join(","));
  return lines.join("\n") + "\n";
}

/** Written beside the target and renamed over it, so a reader never sees half a catalogue. */
export async function writeCatalogCsv(path: string, rows: readonly CatalogRow[]): Promise<void> {
  await writeFileAtomic(path, Buffer.from(catalogToCsv(rows)));
}

const NUMERIC: readonly (keyof CatalogRow)[] = ["position", "durationSec", "channels", "sampleRate"];
const BOOLEAN: readonly (keyof CatalogRow)[] = ["isShort", "isSilent"];

/** Reads a catalogue written by writeCatalogCsv back into rows; a wrong header or value names its row. */
export function catalogFromCsv(text: string, path: string): CatalogRow[] {
  const records = parse(text, { skip_empty_lines: true }) as string[][];
  const header = records[0] ?? [];
  if (header.join(",") !== CATALOG_COLUMNS.join(",")) throw new Error(`${path} row 1: expected columns ${CATALOG_COLUMNS.join(",")}`);
  return records.slice(1).map((record, i) => {
    const row: Record<string, string | number | boolean> = {};
    CATALOG_COLUMNS.forEach((c, j) => {
      const value = record[j];
      if (value === undefined) throw new Error(`${path} row ${i + 2}: missing column ${c}`);
      if (NUMERIC.includes(c)) {
        const n = Number(value);
        if (value === "" || !Number.isFinite(n)) throw new Error(`${path} row ${i + 2}: ${c} "${value}" is not a number`);
        row[c] = n;
      } else if (BOOLEAN.includes(c)) {
        if (value !== "true" && value !== "false") throw new Error(`${path} row ${i + 2}: ${c} "${value}" is not true/false`);
        row[c] = value === "true";
      } else row[c] = value;
    });
    return row as unknown as CatalogRow;
  });
}
