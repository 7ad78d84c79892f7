import { readLines } from "../lines.js";
import { exportFiles, readJson, type ExportFile } from "./sources.js";
import { jsonArrayItems } from "./json-array.js";
import { isrc, mbid, text, type ExportItem, type ExportListen } from "./export-listen.js";

/** A ListenBrainz line carries additional_info and mbid_mapping: longer than a triplet line, bounded all the same. */
export const LISTENBRAINZ_MAX_LINE = 65_536;

interface LbListen {
  listened_at?: unknown;
  user_name?: unknown;
  track_metadata?: {
    artist_name?: unknown;
    track_name?: unknown;
    release_name?: unknown;
    additional_info?: { recording_mbid?: unknown; isrc?: unknown };
    mbid_mapping?: { recording_mbid?: unknown } | null;
  };
}

/**
 * A ListenBrainz export: the zip as downloaded (user.json naming the user, listens/<year>/<month>.jsonl one listen
 * a line), its unpacked folder, one of its JSON-lines files, or the older export (one JSON array of listens). The
 * user is user.json's, else each listen's user_name, else `user`. The recording MBID is the one the listen was
 * submitted with (additional_info), else the one ListenBrainz mapped it to (mbid_mapping).
 */
export async function* readListenBrainz(path: string, opts: { user?: string } = {}): AsyncGenerator<ExportItem> {
  const files = await exportFiles(path);
  const userFile = files.find((f) => /(^|\/)user\.json$/.test(f.member));
  let user = opts.user ?? null;
  if (userFile) {
    const info = (await readJson(userFile)) as { username?: unknown; user_name?: unknown };
    user = text(info.username) ?? text(info.user_name) ?? user;
  }
  const listenFiles = files.filter((f) => isListenFile(f, files.length));
  if (listenFiles.length === 0) {
    yield { bad: { item: path, reason: "no listens found (expected listens/<year>/<month>.jsonl in the export, or a .jsonl / .json file of listens)" } };
    return;
  }
  for (const file of listenFiles) {
    if (file.member.endsWith(".json")) {
      for await (const el of jsonArrayItems(await file.open())) {
        if ("error" in el) yield { bad: { item: file.name, reason: el.error } };
        else yield parseListen(el.value, `${file.name} item ${el.index + 1}`, user);
      }
      continue;
    }
    let line = 0;
    for await (const text of readLines(await file.open(), LISTENBRAINZ_MAX_LINE)) {
      line++;
      if (text.trim() === "") continue;
      const item = `${file.name} line ${line}`;
      if (text.length > LISTENBRAINZ_MAX_LINE) {
        yield { bad: { item, reason: `line longer than ${LISTENBRAINZ_MAX_LINE} characters` } };
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        yield { bad: { item, reason: `not JSON: ${(e as Error).message}` } };
        continue;
      }
      yield parseListen(value, item, user);
    }
  }
}

/** The listens of an export, not its feedback, pins or user record. */
function isListenFile(f: ExportFile, fileCount: number): boolean {
  if (/(^|\/)listens\/.+\.jsonl$/.test(f.member)) return true;
  if (/(^|\/)(user|feedback|pinned_recording)\.jsonl?$/.test(f.member)) return false;
  // A lone file, or a legacy export's listens.json.
  return fileCount === 1 ? /\.jsonl?$/.test(f.member) || !f.member.includes(".") : /(^|\/)listens[^/]*\.json$/.test(f.member);
}

function parseListen(value: unknown, item: string, user: string | null): ExportItem {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { bad: { item, reason: "not a JSON object" } };
  const l = value as LbListen;
  const m = l.track_metadata;
  const who = user ?? text(l.user_name);
  if (!who) return { bad: { item, reason: "no user: the export has no user.json and the listen no user_name (give --user)" } };
  const artist = text(m?.artist_name);
  const title = text(m?.track_name);
  if (!artist || !title) return { bad: { item, reason: `no ${!artist ? "track_metadata.artist_name" : "track_metadata.track_name"}` } };
  const at = l.listened_at;
  const seconds = typeof at === "number" ? at : typeof at === "string" && /^\d+$/.test(at) ? Number(at) : NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) return { bad: { item, reason: `listened_at ${JSON.stringify(at)} is not a Unix time` } };
  const listen: ExportListen = {
    user: who,
    time: seconds * 1000,
    artist,
    title,
    album: text(m?.release_name),
    recordingMbid: mbid(m?.additional_info?.recording_mbid) ?? mbid(m?.mbid_mapping?.recording_mbid),
    isrc: isrc(m?.additional_info?.isrc),
    item,
  };
  return { listen };
}
