import { basename, extname } from "node:path";
import { parse } from "csv-parse";
import { exportFiles } from "./sources.js";
import { mbid, text, type ExportItem } from "./export-listen.js";

/** Header names each field goes by in the common Last.fm CSV exporters (lower case). */
const COLUMNS = {
  artist: ["artist", "artist_name", "artist name"],
  album: ["album", "album_name", "album name", "release"],
  title: ["track", "title", "track_name", "track name", "name", "song"],
  time: ["uts", "timestamp", "date", "utc_time", "time", "played_at", "date_uts"],
  mbid: ["track_mbid", "mbid", "recording_mbid", "track mbid"],
} as const;

/**
 * Last.fm scrobbles as CSV: the headerless `artist,album,track,date` of lastfm-to-csv / lastfm.ghan.nl (date
 * "31 Jan 2021 12:34", UTC), or any export with a header naming artist, album, track and a time (`uts` Unix
 * seconds, or a date), with or without MBIDs. Last.fm files do not name their user: `user`, else the file name.
 * Rows are streamed by csv-parse; a row that cannot be used is reported with its line and the file goes on.
 */
export async function* readLastFm(path: string, opts: { user?: string } = {}): AsyncGenerator<ExportItem> {
  for (const file of await exportFiles(path)) {
    if (!file.member.toLowerCase().endsWith(".csv") && !path.toLowerCase().endsWith(file.member.toLowerCase())) continue;
    const user = opts.user ?? basename(file.member, extname(file.member));
    const rows = (await file.open()).pipe(parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, trim: true }));
    let cols: Record<keyof typeof COLUMNS, number> | null = null;
    try {
      for await (const { record, info } of rows as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        const item = `${file.name} line ${info.lines}`;
        if (cols === null) {
          const header = record.map((h) => h.toLowerCase());
          const find = (names: readonly string[]) => header.findIndex((h) => names.includes(h));
          const named = { artist: find(COLUMNS.artist), album: find(COLUMNS.album), title: find(COLUMNS.title), time: find(COLUMNS.time), mbid: find(COLUMNS.mbid) };
          if (named.artist >= 0 && named.title >= 0 && named.time >= 0) {
            cols = named;
            continue;
          }
          if (record.length !== 4) {
            yield { bad: { item: file.name, reason: `not a Last.fm CSV: no header naming artist, track and a time, and ${record.length} columns where the headerless export has 4 (artist,album,track,date)` } };
            break;
          }
          cols = { artist: 0, album: 1, title: 2, time: 3, mbid: -1 };
        }
        const field = (i: number) => (i >= 0 ? text(record[i]) : null);
        const artist = field(cols.artist);
        const title = field(cols.title);
        if (!artist || !title) {
          yield { bad: { item, reason: `empty ${!artist ? "artist" : "track"}` } };
          continue;
        }
        const time = parseTime(record[cols.time] ?? "");
        if (time === null) {
          yield { bad: { item, reason: `time "${record[cols.time] ?? ""}" is neither Unix seconds nor a date` } };
          continue;
        }
        // Last.fm's "now playing" rows and unknown dates export as 0 / 1970: not a play we can place.
        if (time < Date.UTC(2002, 0, 1)) {
          yield { bad: { item, reason: `time "${record[cols.time]}" is before Last.fm existed (a now-playing row?)` } };
          continue;
        }
        yield { listen: { user, time, artist, title, album: field(cols.album), recordingMbid: mbid(field(cols.mbid)), isrc: null, item } };
      }
    } catch (e) {
      yield { bad: { item: file.name, reason: `unreadable CSV: ${(e as Error).message}` } };
    }
  }
}

/** Unix seconds (or ms), ISO 8601, or Last.fm's "31 Jan 2021 12:34" (UTC). */
export function parseTime(value: string): number | null {
  const s = value.trim();
  if (/^\d{9,10}$/.test(s)) return Number(s) * 1000;
  if (/^\d{12,13}$/.test(s)) return Number(s);
  const lastfm = /^(\d{1,2}) (\w{3}) (\d{4}),? (\d{1,2}):(\d{2})$/.exec(s);
  if (lastfm) {
    const month = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].indexOf(lastfm[2]!.toLowerCase());
    if (month < 0) return null;
    return Date.UTC(Number(lastfm[3]), month, Number(lastfm[1]), Number(lastfm[4]), Number(lastfm[5]));
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return null;
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s.replace(" ", "T")}Z`);
  return Number.isFinite(ms) ? ms : null;
}
