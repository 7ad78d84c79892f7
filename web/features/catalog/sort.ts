import type { CatalogTrack } from "./queries";

export type SortKey = "title" | "artist" | "album" | "duration";
export interface Sort {
  key: SortKey;
  descending: boolean;
}

const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });

function compare(a: CatalogTrack, b: CatalogTrack, key: SortKey): number {
  switch (key) {
    case "title":
      return collator.compare(a.title, b.title);
    case "artist":
      return collator.compare(a.artist.name, b.artist.name);
    case "album":
      // Tracks without an album go last in ascending order.
      return collator.compare(a.album?.title ?? "\uffff", b.album?.title ?? "\uffff");
    case "duration":
      return a.durationSec - b.durationSec;
  }
}

/** A sorted copy; without a sort the API's order stands. Ties keep API order (Array.prototype.sort is stable). */
export function sortTracks(tracks: readonly CatalogTrack[], sort: Sort | null): readonly CatalogTrack[] {
  if (!sort) return tracks;
  const sign = sort.descending ? -1 : 1;
  return [...tracks].sort((a, b) => sign * compare(a, b, sort.key));
}

/** First click sorts ascending, a second click on the same column flips it. */
export function nextSort(current: Sort | null, key: SortKey): Sort {
  return current?.key === key ? { key, descending: !current.descending } : { key, descending: false };
}
