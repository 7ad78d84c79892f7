import { rename, writeFile } from "node:fs/promises";
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
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, catalogToCsv(rows));
  await rename(tmp, path);
}
