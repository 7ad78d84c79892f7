// The listening-history exports `curator ingest --format` reads: a new one is a parser module beside these and one
// entry here (the CLI's choices and help come from this table).
import type { ExportItem } from "./export-listen.js";
import { readLastFm } from "./lastfm.js";
import { readListenBrainz } from "./listenbrainz.js";
import { readSpotify, type SpotifyCounts } from "./spotify.js";

export interface ExportReadOptions {
  path: string;
  /** The user the plays belong to where the export does not say. */
  user?: string;
  /** Spotify: shortest stream counted as a play. */
  minPlayMs?: number;
  /** Spotify: streams and episodes left out before matching, counted here. */
  counts?: SpotifyCounts;
}

export interface ExportReader {
  /** What `curator ingest --help` says of the format. */
  help: string;
  /** The export's plays, each a listen or a bad item (the parse goes on). */
  read(options: ExportReadOptions): AsyncGenerator<ExportItem>;
}

export const EXPORT_FORMATS = {
  listenbrainz: { help: "export zip/JSON lines", read: (o) => readListenBrainz(o.path, { user: o.user }) },
  lastfm: { help: "scrobble CSV", read: (o) => readLastFm(o.path, { user: o.user }) },
  spotify: { help: "Extended Streaming History", read: (o) => readSpotify(o.path, { user: o.user, minPlayMs: o.minPlayMs, counts: o.counts }) },
} as const satisfies Record<string, ExportReader>;

export type ExportFormat = keyof typeof EXPORT_FORMATS;

export const isExportFormat = (v: string): v is ExportFormat => Object.hasOwn(EXPORT_FORMATS, v);
