import DataLoader from "dataloader";
import { BATCH } from "./loaders/batch.js";
import type { Db, FactorKind } from "@curator/db/client.js";
import type { Album, Artist } from "./schema/catalog.js";
import type { IndexRegistry } from "./index/registry.js";
import { layoutPoints, positionsOf, type CompactMapPoint } from "./services/latent-map.js";
import type { Viewer } from "./auth/authenticate.js";
import { createCurationLoaders, type CurationLoaders } from "./loaders/curation.js";

/** Per-request state: the database, the process's similarity indexes, and loaders that batch nested lookups. */
export interface Context {
  db: Db;
  indexes: IndexRegistry;
  loaders: Loaders;
  /** The API key holder, or null for an anonymous request (allowed unless CURATOR_REQUIRE_KEYS=1). */
  viewer: Viewer | null;
  /** A /media path as clients must fetch it: signed and expiring when API keys are required (see MediaSigner). */
  mediaUrl(path: string): string;
}

export interface Loaders extends CurationLoaders {
  artist: DataLoader<number, Artist>;
  album: DataLoader<number, Album>;
  /** A track's place in the current map layout of a factor kind, or null. */
  mapPosition(kind: FactorKind): DataLoader<number, { x: number; y: number } | null>;
  /** Every point of a map layout, read once per request however many fields ask. */
  layoutPoints: DataLoader<number, CompactMapPoint[]>;
  /** A track's MC-dropout spread in the active set of a (predicted) kind, or null. */
  spread(kind: FactorKind): DataLoader<number, number | null>;
}

export function createLoaders(db: Db, indexes: IndexRegistry): Loaders {
  return {
    ...createCurationLoaders(db),
    artist: new DataLoader(async (ids) => byId(ids, await db.artist.findMany({ where: { id: { in: [...ids] } } }), "artist"), BATCH),
    album: new DataLoader(async (ids) => byId(ids, await db.album.findMany({ where: { id: { in: [...ids] } } }), "album"), BATCH),
    mapPosition: perKind((kind) => new DataLoader((ids) => positionsOf(db, kind, ids), BATCH)),
    layoutPoints: new DataLoader((layoutIds) => Promise.all(layoutIds.map((id) => layoutPoints(db, indexes, id))), BATCH),
    spread: perKind(
      (kind) =>
        new DataLoader(async (ids) => {
          const space = await indexes.get(kind);
          if (!space) return ids.map(() => null);
          const rows = await db.itemFactor.findMany({ where: { factorSetId: space.setId, trackId: { in: [...ids] } }, select: { trackId: true, spread: true } });
          const byTrack = new Map(rows.map((r) => [r.trackId, r.spread]));
          return ids.map((id) => byTrack.get(id) ?? null);
        }, BATCH),
    ),
  };
}

function perKind<T>(make: (kind: FactorKind) => T): (kind: FactorKind) => T {
  const made = new Map<FactorKind, T>();
  return (kind) => {
    let loader = made.get(kind);
    if (!loader) made.set(kind, (loader = make(kind)));
    return loader;
  };
}

function byId<T extends { id: number }>(ids: readonly number[], rows: T[], what: string): (T | Error)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? new Error(`${what} ${id} not found`));
}
