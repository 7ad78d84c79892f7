import DataLoader from "dataloader";
import type { Db } from "@curator/db/client.js";
import type { Album, Artist } from "./schema/catalog.js";

/** Per-request state: the database and the loaders that batch nested lookups into one query per field. */
export interface Context {
  db: Db;
  loaders: Loaders;
}

export interface Loaders {
  artist: DataLoader<number, Artist>;
  album: DataLoader<number, Album>;
}

export function createLoaders(db: Db): Loaders {
  return {
    artist: new DataLoader(async (ids) => byId(ids, await db.artist.findMany({ where: { id: { in: [...ids] } } }), "artist")),
    album: new DataLoader(async (ids) => byId(ids, await db.album.findMany({ where: { id: { in: [...ids] } } }), "album")),
  };
}

function byId<T extends { id: number }>(ids: readonly number[], rows: T[], what: string): (T | Error)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? new Error(`${what} ${id} not found`));
}
