/** How a catalogue track's audio came to exist (mirrors Track.origin in the Prisma schema). */
export type TrackOrigin = "recording" | "stem-mix" | "tracker-render" | "user";

/** One catalogue track as the ingest stage stores it. Plain data: the DB layer maps it onto Track/Artist/Album. */
export interface CatalogRow {
  /** Stable key: "<package>/<path inside the package folder>" for the Debian corpus, the CSV track_id otherwise. */
  externalId: string;
  title: string;
  artist: string;
  album: string;
  /** "debian:<package>" or "csv:<file name>" (Album.source). */
  albumSource: string;
  licence: string;
  /** 1-based, stable order on the album. */
  position: number;
  durationSec: number;
  /** Absolute path of the audio file. */
  audioPath: string;
  /** sha256 of the file bytes, hex. */
  contentHash: string;
  channels: number;
  sampleRate: number;
  codec: string;
  /** Shorter than SHORT_TRACK_SEC: a stinger, intro or jingle. */
  isShort: boolean;
  /** Decodes to near silence (peak below SILENCE_PEAK_DB). */
  isSilent: boolean;
  origin: TrackOrigin;
}

/** An album is its source and title together: two packages may both have a "Soundtrack". */
export function albumKey(row: Pick<CatalogRow, "albumSource" | "album">): string {
  return `${row.albumSource}\u0000${row.album}`;
}

/** An item a batch could not use, and why; batches collect these and go on. */
export interface BadItem {
  item: string;
  reason: string;
}

export interface BatchResult<T> {
  rows: T[];
  bad: BadItem[];
}

export type OnProgress = (done: number, total: number, item: string) => void;

/** Below this a file is a stinger/intro/jingle rather than a track. */
export const SHORT_TRACK_SEC = 45;
/** A decoded peak at or below this level counts as silence (a broken tracker render, an empty file). */
export const SILENCE_PEAK_DB = -60;
