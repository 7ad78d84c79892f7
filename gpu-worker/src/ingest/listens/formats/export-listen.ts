import type { BadItem } from "../../types.js";

/**
 * One play from a listening-history export, before it is matched to the catalogue: what ListenBrainz, Last.fm and
 * Spotify exports all say about a play, each parser filling what its format has.
 */
export interface ExportListen {
  user: string;
  /** Unix milliseconds. */
  time: number;
  artist: string;
  title: string;
  album: string | null;
  recordingMbid: string | null;
  isrc: string | null;
  /** Where the play came from: "<file>[:<member>] line|row|item N", for reports. */
  item: string;
}

/** What a parser yields: a play, or an item it could not use and why (the parse goes on). */
export type ExportItem = { listen: ExportListen } | { bad: BadItem };

const MBID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A trimmed non-empty string, or null. */
export function text(v: unknown): string | null {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : null;
}

/** A MusicBrainz id in lower case, or null for anything that is not a UUID. */
export function mbid(v: unknown): string | null {
  const s = text(v);
  return s !== null && MBID.test(s) ? s.toLowerCase() : null;
}

/** An ISRC without hyphens, upper case (CC-XXX-YY-NNNNN), or null. */
export function isrc(v: unknown): string | null {
  const s = text(v)?.replace(/-/g, "").toUpperCase() ?? null;
  return s !== null && /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/.test(s) ? s : null;
}
