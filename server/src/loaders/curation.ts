import DataLoader from "dataloader";
import { BATCH } from "./batch.js";
import type { ActivationMode, Db, OutlierFlagOrderByWithRelationInput } from "@curator/db/client.js";
import { asTrack, type Track } from "../schema/catalog.js";
import type { FlagDecision, OutlierFlag } from "../schema/outlier.js";
import type { PlaylistItem } from "../schema/playlist.js";
import { rankedWindowLoader, type WindowKey } from "./ranked-window.js";

export interface FilterHit {
  filterId: number;
  rank: number;
  value: number;
  trackId: number;
  /** The track's file is gone (Track.missingSince): the hit keeps its rank but is not listed. */
  missing: boolean;
}

/** Loaders behind the curation fields (playlists, flags, filters): each nested list is one query per request. */
export interface CurationLoaders {
  track: DataLoader<number, Track>;
  /** The positions of an album's tracks (for where a flagged track sits on it). */
  albumPositions: DataLoader<number, number[]>;
  /** A track's outlier flags, most suspicious first. */
  outlierFlags: DataLoader<number, OutlierFlag[]>;
  /** A flag's decisions, newest first. */
  flagDecisions: DataLoader<number, FlagDecision[]>;
  playlistItems: DataLoader<WindowKey, PlaylistItem[], string>;
  playlistLength: DataLoader<number, number>;
  filterTracks(mode: ActivationMode): DataLoader<WindowKey, FilterHit[], string>;
}

/** A track's flags, most suspicious first (the outlierFlags field's order). */
export const FLAG_ORDER: OutlierFlagOrderByWithRelationInput[] = [{ score: "desc" }, { id: "asc" }];

export function createCurationLoaders(db: Db): CurationLoaders {
  const filterTracks = new Map<ActivationMode, DataLoader<WindowKey, FilterHit[], string>>();
  return {
    track: new DataLoader(async (ids) => {
      const rows = new Map((await db.track.findMany({ where: { id: { in: [...ids] } } })).map((t) => [t.id, asTrack(t)]));
      return ids.map((id) => rows.get(id) ?? new Error(`track ${id} not found`));
    }, BATCH),
    albumPositions: new DataLoader(async (albumIds) => {
      const rows = await db.track.findMany({ where: { albumId: { in: [...albumIds] }, position: { not: null } }, select: { albumId: true, position: true } });
      return albumIds.map((id) => rows.filter((r) => r.albumId === id).map((r) => r.position!));
    }, BATCH),
    outlierFlags: new DataLoader(async (trackIds) => {
      const rows = await db.outlierFlag.findMany({ where: { trackId: { in: [...trackIds] } }, orderBy: FLAG_ORDER });
      return trackIds.map((id) => rows.filter((r) => r.trackId === id));
    }, BATCH),
    flagDecisions: new DataLoader(async (flagIds) => {
      const rows = await db.flagDecision.findMany({ where: { flagId: { in: [...flagIds] } }, orderBy: { id: "desc" } });
      return flagIds.map((id) => rows.filter((r) => r.flagId === id));
    }, BATCH),
    playlistItems: rankedWindowLoader(
      (playlistIds, from, count) =>
        db.playlistItem.findMany({
          where: { playlistId: { in: playlistIds }, position: { gt: from, lte: from + count } },
          orderBy: [{ playlistId: "asc" }, { position: "asc" }],
        }),
      (item) => item.playlistId,
    ),
    playlistLength: new DataLoader(async (playlistIds) => {
      const counts = await db.playlistItem.groupBy({ by: ["playlistId"], where: { playlistId: { in: [...playlistIds] } }, _count: { _all: true } });
      const byId = new Map(counts.map((c) => [c.playlistId, c._count._all]));
      return playlistIds.map((id) => byId.get(id) ?? 0);
    }, BATCH),
    filterTracks(mode) {
      let loader = filterTracks.get(mode);
      if (!loader) {
        loader = rankedWindowLoader(
          async (filterIds, from, count) =>
            // Every ranked track, missing ones marked: a missing track keeps its rank (the ranking is the model's) but
            // is not listed, and a window that comes back whole says that ranks go on past it (ranks are dense).
            (
              await db.filterActivation.findMany({
                where: { filterId: { in: filterIds }, mode, rank: { gt: from, lte: from + count } },
                orderBy: [{ filterId: "asc" }, { rank: "asc" }],
                select: { filterId: true, rank: true, value: true, trackId: true, track: { select: { missingSince: true } } },
              })
            ).map(({ track, ...hit }) => ({ ...hit, missing: track.missingSince !== null })),
          (hit) => hit.filterId,
        );
        filterTracks.set(mode, loader);
      }
      return loader;
    },
  };
}
