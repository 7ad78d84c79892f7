import type { Db } from "@curator/db/client.js";
import { asTrack, type Track } from "../schema/catalog.js";

/**
 * Track rows for ranked ids in one query, paired with each item in rank order. An item whose track was deleted
 * since the factor set was made is dropped.
 */
export async function withTracks<T extends { trackId: number }>(db: Db, items: T[]): Promise<(T & { track: Track })[]> {
  const rows = await db.track.findMany({ where: { id: { in: items.map((i) => i.trackId) } } });
  const byId = new Map(rows.map((r) => [r.id, asTrack(r)]));
  return items.flatMap((item) => {
    const track = byId.get(item.trackId);
    return track ? [{ ...item, track }] : [];
  });
}
