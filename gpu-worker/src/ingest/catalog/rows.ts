import { albumKey, SHORT_TRACK_SEC, SILENCE_PEAK_DB, type CatalogRow } from "../types.js";
import type { AudioFacts } from "../probe.js";
import { naturalCompare } from "../corpus/audio-files.js";

/** The audio-derived columns of a row; the same for the Debian corpus and a user's catalogue. */
export function audioColumns(facts: AudioFacts): Pick<CatalogRow, "durationSec" | "channels" | "sampleRate" | "codec" | "contentHash" | "isShort" | "isSilent"> {
  return {
    durationSec: Math.round(facts.durationSeconds * 1000) / 1000,
    channels: facts.channels,
    sampleRate: facts.sampleRate,
    codec: facts.codec,
    contentHash: facts.contentHash,
    isShort: facts.durationSeconds < SHORT_TRACK_SEC,
    isSilent: facts.peakDb <= SILENCE_PEAK_DB,
  };
}

/** A row before its album position is known; sortKey orders it on the album. */
export interface UnplacedRow {
  row: Omit<CatalogRow, "position">;
  order: number | undefined;
  sortKey: string;
}

/**
 * Numbers each album's tracks 1..n: a stated order first (album.json), then natural file order, so positions are
 * stable across runs and machines.
 */
export function assignPositions(items: readonly UnplacedRow[]): CatalogRow[] {
  const albums = new Map<string, UnplacedRow[]>();
  for (const item of items) {
    const key = albumKey(item.row);
    albums.set(key, [...(albums.get(key) ?? []), item]);
  }
  const out: CatalogRow[] = [];
  for (const group of albums.values()) {
    group.sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity) || naturalCompare(a.sortKey, b.sortKey));
    group.forEach((item, i) => out.push({ ...item.row, position: i + 1 }));
  }
  return out;
}

/**
 * The store keys tracks by id and by content hash: the same bytes under a second name would collide, so later
 * copies are returned as duplicates (with the first holder named) for the caller to report.
 */
export function dropDuplicates<T extends { externalId: string; contentHash: string; audioPath: string }>(
  rows: readonly T[],
): { rows: T[]; duplicates: { row: T; reason: string }[] } {
  const byHash = new Map<string, T>();
  const byId = new Map<string, T>();
  const kept: T[] = [];
  const duplicates: { row: T; reason: string }[] = [];
  for (const row of rows) {
    const sameId = byId.get(row.externalId);
    const sameHash = byHash.get(row.contentHash);
    if (sameId) duplicates.push({ row, reason: `duplicate track id "${row.externalId}" (first used by ${sameId.audioPath})` });
    else if (sameHash) duplicates.push({ row, reason: `duplicate audio: same sha256 as ${sameHash.audioPath} (${sameHash.externalId})` });
    else {
      byId.set(row.externalId, row);
      byHash.set(row.contentHash, row);
      kept.push(row);
    }
  }
  return { rows: kept, duplicates };
}
