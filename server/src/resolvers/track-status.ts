// Per-track curation status for the catalogue's badges. Context's loaders belong to another module, so this
// loader hangs off the request's context object instead: one pair of queries per page, dropped with the request.
import DataLoader from "dataloader";
import type { Context } from "../context.js";

export interface TrackStatus {
  /** No training listens: every listen (if any) is in the held-out cold-start split. */
  cold: boolean;
  /** Has an OPEN or CONFIRMED outlier flag (a REJECTED one is a verdict that the track is fine). */
  flagged: boolean;
}

export const ACTIVE_FLAG_STATUSES = ["OPEN", "CONFIRMED"] as const;

const loaders = new WeakMap<Context, DataLoader<number, TrackStatus>>();

export function trackStatus(ctx: Context, trackId: number): Promise<TrackStatus> {
  let loader = loaders.get(ctx);
  if (!loader) {
    const { db } = ctx;
    loader = new DataLoader(async (ids) => {
      const trackId = { in: [...ids] };
      const [listened, flagged] = await Promise.all([
        db.listen.findMany({ where: { trackId, heldOut: false }, select: { trackId: true }, distinct: ["trackId"] }),
        db.outlierFlag.findMany({ where: { trackId, status: { in: [...ACTIVE_FLAG_STATUSES] } }, select: { trackId: true }, distinct: ["trackId"] }),
      ]);
      const warm = new Set(listened.map((l) => l.trackId));
      const suspect = new Set(flagged.map((f) => f.trackId));
      return ids.map((id) => ({ cold: !warm.has(id), flagged: suspect.has(id) }));
    });
    loaders.set(ctx, loader);
  }
  return loader.load(trackId);
}
