import { exportFiles } from "./sources.js";
import { jsonArrayItems } from "./json-array.js";
import { text, type ExportItem } from "./export-listen.js";

/**
 * Below this many milliseconds of playing a stream is not a play: Spotify's own threshold for counting a stream
 * (and paying for it) is 30 seconds. `--min-play-ms` changes it.
 */
export const SPOTIFY_MIN_PLAY_MS = 30_000;

interface SpotifyStream {
  ts?: unknown;
  username?: unknown;
  ms_played?: unknown;
  master_metadata_track_name?: unknown;
  master_metadata_album_artist_name?: unknown;
  master_metadata_album_album_name?: unknown;
  episode_name?: unknown;
  skipped?: unknown;
}

export interface SpotifyCounts {
  /** Streams shorter than the threshold, skipped or not. */
  tooShort: number;
  /** Podcast episodes and audiobook chapters: not music. */
  notMusic: number;
}

/**
 * Spotify's Extended Streaming History (my_spotify_data.zip, its folder, or one Streaming_History_Audio_*.json):
 * each JSON array streamed element by element. A stream played for less than `minPlayMs` is not a play; a skipped
 * stream counts only when it played that long. Podcast episodes are left out. The user is the stream's `username`
 * (older exports), else `user`, else "spotify".
 */
export async function* readSpotify(path: string, opts: { user?: string; minPlayMs?: number; counts?: SpotifyCounts } = {}): AsyncGenerator<ExportItem> {
  const minPlayMs = opts.minPlayMs ?? SPOTIFY_MIN_PLAY_MS;
  const files = (await exportFiles(path)).filter((f) => /\.json$/i.test(f.member) && !/video/i.test(f.member));
  if (files.length === 0) yield { bad: { item: path, reason: "no Streaming_History_Audio_*.json in the export" } };
  for (const file of files) {
    for await (const el of jsonArrayItems(await file.open())) {
      if ("error" in el) {
        yield { bad: { item: file.name, reason: el.error } };
        continue;
      }
      const item = `${file.name} item ${el.index + 1}`;
      if (typeof el.value !== "object" || el.value === null || Array.isArray(el.value)) {
        yield { bad: { item, reason: "not a JSON object" } };
        continue;
      }
      const s = el.value as SpotifyStream;
      const title = text(s.master_metadata_track_name);
      const artist = text(s.master_metadata_album_artist_name);
      if (!title || !artist) {
        if (text(s.episode_name) !== null || ("episode_name" in s && !title)) {
          if (opts.counts) opts.counts.notMusic++;
          continue;
        }
        yield { bad: { item, reason: "no master_metadata_track_name / master_metadata_album_artist_name" } };
        continue;
      }
      const ms = typeof s.ms_played === "number" ? s.ms_played : NaN;
      if (!Number.isFinite(ms) || ms < 0) {
        yield { bad: { item, reason: `ms_played ${JSON.stringify(s.ms_played)} is not a duration in milliseconds` } };
        continue;
      }
      if (ms < minPlayMs) {
        if (opts.counts) opts.counts.tooShort++;
        continue;
      }
      const time = typeof s.ts === "string" ? Date.parse(s.ts) : NaN;
      if (!Number.isFinite(time)) {
        yield { bad: { item, reason: `ts ${JSON.stringify(s.ts)} is not an ISO date` } };
        continue;
      }
      const user = opts.user ?? text(s.username) ?? "spotify";
      yield { listen: { user, time, artist, title, album: text(s.master_metadata_album_album_name), recordingMbid: null, isrc: null, item } };
    }
  }
}
