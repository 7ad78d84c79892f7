// Reading the latent map that `curator map` wrote: the newest READY layout of a factor kind.
import { FactorKind, type Db } from "@curator/db/client.js";
import type { IndexRegistry } from "../index/registry.js";
import { rowOf } from "../index/space.js";
import { PRESENT_TRACK } from "../index/missing-tracks.js";
import { findSpace } from "./spaces.js";

export interface MapLayoutInfo {
  id: number;
  factorSetId: number;
  method: string;
  params: string;
  createdAt: Date;
}

export interface CompactMapPoint {
  id: number;
  x: number;
  y: number;
  artistId: number;
  albumId: number | null;
  cold: boolean;
}

export function currentLayout(db: Db, kind: FactorKind): Promise<MapLayoutInfo | null> {
  return db.mapLayout.findFirst({
    where: { status: "READY", factorSet: { kind } },
    orderBy: { id: "desc" },
    select: { id: true, factorSetId: true, method: true, params: true, createdAt: true },
  });
}

/**
 * The points of a layout in track id order with what the scatter plot colours by (`cold` = no factors in the
 * active CF set): every point, or `window.take` of them after track `window.after`; missing tracks are left out.
 */
export async function layoutPoints(db: Db, registry: IndexRegistry, layoutId: number, window: { after?: number | null; take?: number } = {}): Promise<CompactMapPoint[]> {
  const [rows, cf] = await Promise.all([
    db.mapPoint.findMany({
      where: { layoutId, track: PRESENT_TRACK, ...(window.after != null ? { trackId: { gt: window.after } } : {}) },
      orderBy: { trackId: "asc" },
      ...(window.take !== undefined ? { take: window.take } : {}),
      select: { trackId: true, x: true, y: true, track: { select: { artistId: true, albumId: true } } },
    }),
    findSpace(registry, "CF"),
  ]);
  return rows.map((r) => ({
    id: r.trackId,
    x: r.x,
    y: r.y,
    artistId: r.track.artistId,
    albumId: r.track.albumId,
    cold: !cf || rowOf(cf, r.trackId) === undefined,
  }));
}

/** Positions of the given tracks in the current layout of a kind (DataLoader batch): null where not placed. */
export async function positionsOf(db: Db, kind: FactorKind, trackIds: readonly number[]): Promise<({ x: number; y: number } | null)[]> {
  const layout = await currentLayout(db, kind);
  if (!layout) return trackIds.map(() => null);
  const points = await db.mapPoint.findMany({ where: { layoutId: layout.id, trackId: { in: [...trackIds] } }, select: { trackId: true, x: true, y: true } });
  const byTrack = new Map(points.map((p) => [p.trackId, { x: p.x, y: p.y }]));
  return trackIds.map((id) => byTrack.get(id) ?? null);
}

/** The point count of the largest current layout over every factor kind: what a `packed` map can cost. */
export async function largestMapSize(db: Db): Promise<number> {
  const counts = await Promise.all(
    Object.values(FactorKind).map(async (kind) => {
      const layout = await currentLayout(db, kind);
      return layout ? db.mapPoint.count({ where: { layoutId: layout.id, track: PRESENT_TRACK } }) : 0;
    }),
  );
  return Math.max(0, ...counts);
}
