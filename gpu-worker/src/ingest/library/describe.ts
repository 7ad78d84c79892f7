import { basename, dirname, extname } from "node:path";
import { parseFile, type IAudioMetadata } from "music-metadata";
import { describeAudio } from "../probe.js";
import { audioColumns } from "../catalog/rows.js";
import { execFile } from "../../util/run-tool.js";
import { fingerprintFile } from "./fingerprint.js";
import { fileStamp, type WalkedFile } from "./walk.js";
import { TRACKER_EXTENSIONS } from "../corpus/audio-files.js";
import type { CatalogRow } from "../types.js";

/** What a scan knows of one file: its tags, its audio facts and the hashes that identify it. */
export interface LibraryFile extends Pick<CatalogRow, "title" | "artist" | "album" | "durationSec" | "channels" | "sampleRate" | "codec" | "contentHash" | "isShort" | "isSilent"> {
  path: string;
  stamp: string;
  /** sha256 of the audio packets (tags excluded): the identity of the audio across re-tags and moves. */
  audioHash: string;
  fingerprint: Uint32Array | null;
  albumArtist: string | null;
  trackNumber: number | null;
  discNumber: number | null;
  year: number | null;
  genre: string | null;
  recordingMbid: string | null;
  releaseMbid: string | null;
  artistMbid: string | null;
  isrc: string | null;
  /** Problems that did not stop the file from being stored (unreadable tags, no fingerprint). */
  warnings: string[];
}

const MBID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads one file: tags with music-metadata (ffprobe's tags if it cannot), ffprobe's stream facts and decoded peak
 * (describeAudio, which rejects a file without an audio stream), the audio-packet hash and a Chromaprint
 * fingerprint. Falls back to the file name for a missing title and the folder name for a missing album.
 */
export async function describeLibraryFile(file: WalkedFile): Promise<LibraryFile> {
  const facts = await describeAudio(file.path);
  const warnings: string[] = [];
  let meta: IAudioMetadata["common"] | undefined;
  // music-metadata reads no tracker module at all: their title and artist come from libopenmpt through ffprobe.
  if (!TRACKER_EXTENSIONS.has(extname(file.path).toLowerCase())) {
    try {
      meta = (await parseFile(file.path, { duration: false, skipCovers: true })).common;
    } catch (e) {
      warnings.push(`tags unreadable by music-metadata (${(e as Error).message}); ffprobe's tags used`);
    }
  }
  const t = facts.tags;
  const text = (v: string | undefined | null) => (v && v.trim() !== "" ? v.trim() : null);
  const int = (v: number | string | null | undefined) => {
    const n = typeof v === "number" ? v : Number.parseInt(String(v ?? ""), 10);
    return Number.isInteger(n) && n > 0 ? n : null;
  };
  const mbid = (v: string | undefined | null) => {
    const s = text(v)?.toLowerCase() ?? null;
    if (s !== null && !MBID.test(s)) {
      warnings.push(`MusicBrainz id "${s}" is not a UUID; ignored`);
      return null;
    }
    return s;
  };
  let fingerprint: Uint32Array | null = null;
  try {
    fingerprint = await fingerprintFile(file.path);
  } catch (e) {
    warnings.push(`no acoustic fingerprint: ${(e as Error).message}`);
  }
  const artist = text(meta?.artist) ?? text(t.artist) ?? text(meta?.albumartist) ?? "Unknown artist";
  return {
    path: file.path,
    stamp: fileStamp(file),
    ...audioColumns(facts),
    audioHash: await audioPacketHash(file.path),
    fingerprint,
    title: text(meta?.title) ?? text(t.title) ?? basename(file.path, extname(file.path)),
    artist,
    albumArtist: text(meta?.albumartist) ?? text(t.album_artist) ?? text(t.albumartist),
    album: text(meta?.album) ?? text(t.album) ?? basename(dirname(file.path)),
    trackNumber: int(meta?.track?.no ?? t.track?.split("/")[0]),
    discNumber: int(meta?.disk?.no ?? t.disc?.split("/")[0]),
    year: int(meta?.year ?? t.date?.slice(0, 4)),
    genre: text(meta?.genre?.[0]) ?? text(t.genre),
    recordingMbid: mbid(meta?.musicbrainz_recordingid ?? t.musicbrainz_trackid ?? t["musicbrainz track id"]),
    releaseMbid: mbid(meta?.musicbrainz_albumid ?? t.musicbrainz_albumid ?? t["musicbrainz album id"]),
    artistMbid: mbid(meta?.musicbrainz_artistid?.[0] ?? t.musicbrainz_artistid ?? t["musicbrainz artist id"]),
    isrc: text(meta?.isrc?.[0])?.replace(/-/g, "").toUpperCase() ?? text(t.isrc)?.replace(/-/g, "").toUpperCase() ?? null,
    warnings,
  };
}

/** ffmpeg's hash muxer over the first audio stream's packets, copied not decoded: tags and container headers are left out. */
export async function audioPacketHash(path: string): Promise<string> {
  const { stdout } = await execFile("ffmpeg", ["-hide_banner", "-v", "error", "-i", path, "-map", "0:a:0", "-c", "copy", "-f", "hash", "-hash", "sha256", "-"]);
  const m = /SHA256=([0-9a-f]{64})/.exec(stdout);
  if (!m) throw new Error(`ffmpeg printed no audio hash for ${path}`);
  return m[1]!;
}
