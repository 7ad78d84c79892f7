import type { Db } from "@curator/db/client.js";
import type { BadItem, CatalogRow } from "../types.js";

export interface StoreCatalogResult {
  inserted: number;
  /** Rows whose audio (content hash) or external id is already stored: re-ingest makes no second row. */
  unchanged: number;
  bad: BadItem[];
}

/** Rows per transaction: big enough to amortise commits, small enough that a failure loses little work. */
const BATCH = 200;

/**
 * Stores catalogue rows: artists and albums by name, tracks keyed by content hash and external id. Each batch is
 * one transaction, so a crash leaves whole batches or nothing; a row that conflicts with a stored track under
 * another id is reported, not overwritten.
 */
export async function storeCatalog(db: Db, rows: readonly CatalogRow[], onProgress?: (done: number, total: number) => Promise<void>): Promise<StoreCatalogResult> {
  const result: StoreCatalogResult = { inserted: 0, unchanged: 0, bad: [] };
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    await db.$transaction(async (tx) => {
      const existing = await tx.track.findMany({
        where: { OR: [{ contentHash: { in: batch.map((r) => r.contentHash) } }, { externalId: { in: batch.map((r) => r.externalId) } }] },
        select: { externalId: true, contentHash: true, audioPath: true },
      });
      const byHash = new Map(existing.map((t) => [t.contentHash, t]));
      const byId = new Map(existing.map((t) => [t.externalId, t]));
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
        const artist = await tx.artist.upsert({ where: { name: row.artist }, create: { name: row.artist }, update: {} });
        const album = await tx.album.upsert({
          where: { source_title: { source: row.albumSource, title: row.album } },
          create: { source: row.albumSource, title: row.album, licence: row.licence },
          update: {},
        });
        await tx.track.create({
          data: {
            externalId: row.externalId,
            title: row.title,
            artistId: artist.id,
            albumId: album.id,
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
          },
        });
        byHash.set(row.contentHash, { externalId: row.externalId, contentHash: row.contentHash, audioPath: row.audioPath });
        byId.set(row.externalId, { externalId: row.externalId, contentHash: row.contentHash, audioPath: row.audioPath });
        result.inserted++;
      }
    }, { timeout: 120_000 });
    await onProgress?.(Math.min(start + BATCH, rows.length), rows.length);
  }
  return result;
}
