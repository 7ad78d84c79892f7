export interface TrackMeta {
  id: number;
  artistId: number;
  albumId: number | null;
  durationSec: number;
}

export interface SimilarFilters {
  excludeSameAlbum?: boolean;
  excludeSameArtist?: boolean;
  minDurationSec?: number;
  maxDurationSec?: number;
}

export function hasFilters(f: SimilarFilters): boolean {
  return Boolean(f.excludeSameAlbum || f.excludeSameArtist || f.minDurationSec !== undefined || f.maxDurationSec !== undefined);
}

/** Whether a candidate may follow the query track in a similar-tracks list. */
export function passesFilters(query: TrackMeta, candidate: TrackMeta, f: SimilarFilters): boolean {
  if (f.excludeSameAlbum && candidate.albumId !== null && candidate.albumId === query.albumId) return false;
  if (f.excludeSameArtist && candidate.artistId === query.artistId) return false;
  if (f.minDurationSec !== undefined && candidate.durationSec < f.minDurationSec) return false;
  if (f.maxDurationSec !== undefined && candidate.durationSec > f.maxDurationSec) return false;
  return true;
}
