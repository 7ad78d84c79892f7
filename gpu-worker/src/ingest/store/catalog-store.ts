import type { Db } from "@curator/db/client.js";
import { albumKey, type BadItem, type CatalogRow } from "../types.js";
import { catalogueTextProblem, cleanCatalogueText } from "../catalog/fields.js";

export interface StoreCatalogResult {
  inserted: number;
  /** Rows whose audio (content hash) or external id is already stored: re-ingest makes no second row. */
  unchanged: number;
  bad: BadItem[];
}

/**
 * Rows per transaction: big enough to amortise commits, small enough that a failure loses little work; the lookup
 * by hash or id binds two values per row, within SQLite's 999.
 */
const BATCH = 450;

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Stores catalogue rows: artists and albums by name, tracks keyed by content hash and external id. Each batch is
 * one transaction of a few set-wise statements (a million rows take minutes, not hours), so a crash leaves whole
 * batches or nothing; a row that conflicts with a stored track under another id is reported, not overwritten, and so
 * is a row whose text no backend should store (fields.ts).
 */
export async function storeCatalog(db: Db, given: readonly CatalogRow[], onProgress?: (done: number, total: number) => Promise<void>): Promise<StoreCatalogResult> {
  const result: StoreCatalogResult = { inserted: 0, unchanged: 0, bad: [] };
  const rows: CatalogRow[] = [];
  for (const row of given.map(cleanCatalogueText)) {
    const problem = catalogueTextProblem(row);
    if (problem === undefined) rows.push(row);
    else result.bad.push({ item: row.audioPath, reason: problem });
  }
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    await db.$transaction(async (tx) => {
      const existing = await tx.track.findMany({
        where: { OR: [{ contentHash: { in: batch.map((r) => r.contentHash) } }, { externalId: { in: batch.map((r) => r.externalId) } }] },
        select: { externalId: true, contentHash: true, audioPath: true },
      });
      const byHash = new Map(existing.map((t) => [t.contentHash, t]));
      const byId = new Map(existing.map((t) => [t.externalId, t]));
      const fresh: CatalogRow[] = [];
      for (const row of batch) {
        const sameHash = byHash.get(row.contentHash);
        const sameId = byId.get(row.externalId);
        if (sameHash && sameHash.externalId === row.externalId) {
          result.unchanged++;
          continue;
        }
        if (sameHash) {
          result.bad.push({ item: row.audioPath, reason: `same audio as stored track "${sameHash.externalId}" (${sameHash.audioPath}); not stored twice` });
          continue;
        }
        if (sameId) {
          result.bad.push({ item: row.audioPath, reason: `track id "${row.externalId}" is already stored with different audio (${sameId.audioPath})` });
          continue;
        }
        fresh.push(row);
        byHash.set(row.contentHash, { externalId: row.externalId, contentHash: row.contentHash, audioPath: row.audioPath });
        byId.set(row.externalId, { externalId: row.externalId, contentHash: row.contentHash, audioPath: row.audioPath });
      }
      if (fresh.length === 0) return;
      const artistIds = await artistIdsByName(tx, fresh);
      const albumIds = await albumIdsByKey(tx, fresh);
      await tx.track.createMany({
        data: fresh.map((row) => ({
          externalId: row.externalId,
          title: row.title,
          artistId: artistIds.get(row.artist)!,
          albumId: albumIds.get(albumKey(row))!,
          position: row.position,
          durationSec: row.durationSec,
          audioPath: row.audioPath,
          contentHash: row.contentHash,
          channels: row.channels,
          sampleRate: row.sampleRate,
          codec: row.codec,
          isShort: row.isShort,
          isSilent: row.isSilent,
          origin: row.origin,
        })),
      });
      result.inserted += fresh.length;
    }, { timeout: 120_000 });
    await onProgress?.(Math.min(start + BATCH, rows.length), rows.length);
  }
  return result;
}

/** Ids of the rows' artists, creating the missing ones. */
async function artistIdsByName(tx: Tx, rows: readonly CatalogRow[]): Promise<Map<string, number>> {
  const names = [...new Set(rows.map((r) => r.artist))];
  const find = async () => new Map((await tx.artist.findMany({ where: { name: { in: names } } })).map((a) => [a.name, a.id]));
  const found = await find();
  const missing = names.filter((n) => !found.has(n));
  if (missing.length === 0) return found;
  await tx.artist.createMany({ data: missing.map((name) => ({ name })) });
  return find();
}

/** Ids of the rows' albums (by source and title), creating the missing ones with the first row's licence. */
async function albumIdsByKey(tx: Tx, rows: readonly CatalogRow[]): Promise<Map<string, number>> {
  const first = new Map<string, CatalogRow>();
  for (const r of rows) if (!first.has(albumKey(r))) first.set(albumKey(r), r);
  const where = { OR: [...first.values()].map((r) => ({ source: r.albumSource, title: r.album })) };
  const find = async () => new Map((await tx.album.findMany({ where })).map((a) => [albumKey({ albumSource: a.source, album: a.title }), a.id]));
  const found = await find();
  const missing = [...first.entries()].filter(([key]) => !found.has(key)).map(([, r]) => r);
  if (missing.length === 0) return found;
  await tx.album.createMany({ data: missing.map((r) => ({ source: r.albumSource, title: r.album, licence: r.licence })) });
  return find();
}
