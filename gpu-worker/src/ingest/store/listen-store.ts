import type { Db } from "@curator/db/client.js";
import type { BadItem } from "../types.js";

export interface ListenInput {
  user: string;
  track: string;
  plays: number;
  heldOut?: boolean;
  /** Source row, for error messages. */
  row?: number;
}

export interface StoreListensResult {
  stored: number;
  users: number;
  bad: BadItem[];
}

const BATCH = 2000;

/**
 * Stores listens for known tracks (by external id), creating users as needed. Listens for unknown tracks are
 * reported with their row and skipped. The whole import is one transaction: a failed import changes nothing, and a
 * re-import of the same data leaves the same rows (plays are replaced, not added).
 */
export async function storeListens(db: Db, listens: readonly ListenInput[], source: string): Promise<StoreListensResult> {
  const tracks = await db.track.findMany({ select: { id: true, externalId: true } });
  const trackIds = new Map(tracks.map((t) => [t.externalId, t.id]));
  const bad: BadItem[] = [];
  const known = listens.filter((l) => {
    if (trackIds.has(l.track)) return true;
    bad.push({ item: `${source}${l.row !== undefined ? ` row ${l.row}` : ""}`, reason: `unknown track id "${l.track}"` });
    return false;
  });
  const userNames = [...new Set(known.map((l) => l.user))];

  await db.$transaction(
    async (tx) => {
      const existing = await tx.user.findMany({ where: { externalId: { in: userNames } }, select: { id: true, externalId: true } });
      const userIds = new Map(existing.map((u) => [u.externalId, u.id]));
      for (const name of userNames) {
        if (!userIds.has(name)) userIds.set(name, (await tx.user.create({ data: { externalId: name } })).id);
      }
      const rows = known.map((l) => ({ userId: userIds.get(l.user)!, trackId: trackIds.get(l.track)!, plays: l.plays, heldOut: l.heldOut ?? false }));
      await tx.listen.deleteMany({ where: { userId: { in: [...userIds.values()] } } });
      for (let i = 0; i < rows.length; i += BATCH) await tx.listen.createMany({ data: rows.slice(i, i + BATCH) });
    },
    { timeout: 600_000 },
  );
  return { stored: known.length, users: userNames.length, bad };
}
