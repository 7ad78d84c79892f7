// A generated music folder (ffmpeg melodies tagged with ffmpeg -metadata) and listening exports of it in each real
// format, with the noise real exports have. The truth of every play (which file it was) is kept beside it, so the
// matcher is checked against where the play came from, not against what the matcher says.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createHash } from "node:crypto";

export interface GenTrack {
  /** Path under the library folder. */
  file: string;
  artist: string;
  album: string;
  title: string;
  trackNumber: number;
  /** Melody seed: two files with the same seed are the same recording. */
  seed: number;
  mbid?: string;
  isrc?: string;
  seconds?: number;
}

/** A UUID-shaped id derived from a label, so fixtures are stable run to run. */
export function fakeMbid(label: string): string {
  const h = createHash("sha1").update(label).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The library: accents, featured artists, a live recording beside the studio one, one title on two albums by one artist. */
export const LIBRARY: GenTrack[] = [
  { file: "Björk/Homogenic/01 Jóga.ogg", artist: "Björk", album: "Homogenic", title: "Jóga", trackNumber: 1, seed: 1, mbid: fakeMbid("joga") },
  { file: "Björk/Homogenic/02 Bachelorette.ogg", artist: "Björk", album: "Homogenic", title: "Bachelorette", trackNumber: 2, seed: 2, isrc: "GBAAA9700002" },
  { file: "Queen/Jazz/01 Don't Stop Me Now.ogg", artist: "Queen", album: "Jazz", title: "Don't Stop Me Now", trackNumber: 1, seed: 3 },
  { file: "Queen/Live Killers/05 Don't Stop Me Now (Live).ogg", artist: "Queen", album: "Live Killers", title: "Don't Stop Me Now - Live", trackNumber: 5, seed: 4 },
  { file: "Daft Punk/Random Access Memories/08 Get Lucky.ogg", artist: "Daft Punk feat. Pharrell Williams", album: "Random Access Memories", title: "Get Lucky", trackNumber: 8, seed: 5, mbid: fakeMbid("get-lucky") },
  { file: "Sigur Rós/Takk/02 Glósóli.ogg", artist: "Sigur Rós", album: "Takk...", title: "Glósóli", trackNumber: 2, seed: 6 },
  { file: "Sigur Rós/Takk/04 Hoppípolla.ogg", artist: "Sigur Rós", album: "Takk...", title: "Hoppípolla", trackNumber: 4, seed: 7, isrc: "GBAAA0500004" },
  { file: "Various/Pulse/01 Intro.mp3", artist: "Pulse", album: "Pulse", title: "Intro", trackNumber: 1, seed: 8 },
  { file: "Various/Drift/01 Intro.ogg", artist: "Drift", album: "Drift", title: "Intro", trackNumber: 1, seed: 9 },
  // One artist, one title, two different recordings on two albums: only the album tells them apart.
  { file: "Röyksopp/Melody AM/03 Eple.ogg", artist: "Röyksopp", album: "Melody A.M.", title: "Eple", trackNumber: 3, seed: 10 },
  { file: "Röyksopp/Late Night Tales/07 Eple.ogg", artist: "Röyksopp", album: "Late Night Tales", title: "Eple", trackNumber: 7, seed: 11 },
  { file: "The Beatles/Abbey Road/01 Come Together.flac", artist: "The Beatles", album: "Abbey Road", title: "Come Together", trackNumber: 1, seed: 12, mbid: fakeMbid("come-together") },
];

/** A melody of 16 random notes (seeded; tempo and timbre vary too) over two octaves: Chromaprint tells such melodies apart. */
function melody(seed: number): string {
  const r = rng(seed * 1009 + 17);
  const step = 0.25 + 0.25 * Math.floor(r() * 3);
  let expr = "";
  let close = "";
  for (let k = 0; k < 16; k++) {
    expr += `if(lt(mod(t\\,${16 * step})\\,${(k + 1) * step})\\,${Math.floor(r() * 24)}\\,`;
    close += ")";
  }
  const f = `220*pow(2\\,(${expr}0${close})/12)`;
  return `0.3*sin(2*PI*t*${f})+0.15*sin(4*PI*t*${f})`;
}

/** Writes one tagged audio file with ffmpeg (codec from the extension). */
export function writeTrack(root: string, t: GenTrack, extraTags: Record<string, string> = {}): string {
  const path = join(root, t.file);
  mkdirSync(dirname(path), { recursive: true });
  const codec = t.file.endsWith(".mp3") ? ["-c:a", "libmp3lame", "-q:a", "7"] : t.file.endsWith(".flac") ? ["-c:a", "flac"] : ["-c:a", "libvorbis", "-q:a", "0"];
  const tags: Record<string, string> = { artist: t.artist, album: t.album, title: t.title, track: String(t.trackNumber), ...extraTags };
  if (t.mbid) tags[t.file.endsWith(".mp3") ? "MusicBrainz Track Id" : "MUSICBRAINZ_TRACKID"] = t.mbid;
  if (t.isrc) tags.ISRC = t.isrc;
  const meta = Object.entries(tags).flatMap(([k, v]) => ["-metadata", `${k}=${v}`]);
  execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", `aevalsrc=${melody(t.seed)}:s=22050:d=${t.seconds ?? 12}`, "-ac", "1", ...codec, ...meta, path]);
  return path;
}

export function writeLibrary(root: string, tracks: readonly GenTrack[] = LIBRARY): void {
  for (const t of tracks) writeTrack(root, t);
}

/** Tracks the exports also name that are not in the library: plays of them are not matchable. */
const ELSEWHERE = [
  { artist: "Radiohead", title: "Airbag", album: "OK Computer" },
  { artist: "Björk", title: "Hunter", album: "Homogenic" },
  { artist: "Queen", title: "Bicycle Race", album: "Jazz" },
  { artist: "Röyksopp", title: "Eple (Shanghai Surprise remix)", album: "Eple" },
];

/** One generated play: what the export says, and the library file it was (null: not in the library). */
export interface GenPlay {
  user: string;
  time: number;
  artist: string;
  title: string;
  album: string | null;
  mbid: string | null;
  isrc: string | null;
  truth: string | null;
}

/** A small seeded PRNG (mulberry32): the fixtures are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const stripAccents = (s: string) => s.normalize("NFKD").replace(/\p{M}/gu, "");

/**
 * Plays drawn from the library and from ELSEWHERE with the noise real exports carry: case changed, accents dropped,
 * "feat." credits moved between artist and title, remaster notes, curly apostrophes, and MBIDs/ISRCs on only some.
 * A live recording's plays keep their "Live" note; an album's Eple always names its album.
 */
export function generatePlays(n: number, seed: number, users: readonly string[], tracks: readonly GenTrack[] = LIBRARY, withIds = true): GenPlay[] {
  const r = rng(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const plays: GenPlay[] = [];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n; i++) {
    const user = pick(users);
    const time = start + i * 37_000 + Math.floor(r() * 1000) * 1000;
    if (r() < 0.1) {
      const e = pick(ELSEWHERE);
      plays.push({ user, time, ...e, mbid: null, isrc: null, truth: null });
      continue;
    }
    const t = pick(tracks);
    let artist = t.artist;
    let title = t.title;
    const noise = r();
    if (noise < 0.15) title = title.toUpperCase();
    else if (noise < 0.3) artist = stripAccents(artist).toLowerCase();
    else if (noise < 0.4 && !/live/i.test(title)) title = `${title} (Remastered 2011)`;
    else if (noise < 0.5 && !/live/i.test(title)) title = `${title} - 2009 Remaster`;
    else if (noise < 0.6) title = title.replace("'", "’");
    if (artist.includes(" feat. ") && r() < 0.5) {
      const [main, feat] = artist.split(" feat. ");
      artist = main!;
      title = `${title} (feat. ${feat})`;
    }
    if (/live/i.test(t.title) && r() < 0.5) title = title.replace(" - Live", " (Live at Montreal 1981)");
    const album = t.title === "Eple" || r() < 0.7 ? (r() < 0.2 ? t.album.toUpperCase() : t.album) : null;
    plays.push({ user, time, artist, title, album, mbid: withIds && t.mbid && r() < 0.6 ? t.mbid : null, isrc: withIds && t.isrc && r() < 0.6 ? t.isrc : null, truth: t.file });
  }
  return plays;
}

/** ListenBrainz export lines (listens/<year>/<month>.jsonl members), as the export zip holds them. */
export function listenBrainzLine(p: GenPlay): string {
  return JSON.stringify({
    listened_at: Math.floor(p.time / 1000),
    recording_msid: fakeMbid(`msid:${p.artist}:${p.title}`),
    track_metadata: {
      artist_name: p.artist,
      track_name: p.title,
      release_name: p.album,
      additional_info: { ...(p.isrc ? { isrc: p.isrc } : {}), submission_client: "generated" },
      mbid_mapping: p.mbid ? { recording_mbid: p.mbid, recording_name: p.title, artist_mbids: [] } : null,
    },
  });
}

/** A ListenBrainz export zip (user.json + listens/2024/<month>.jsonl), written with the system's zip-free way: Python's zipfile. */
export function writeListenBrainzZip(path: string, user: string, plays: readonly GenPlay[], extraLines: Record<string, string[]> = {}): void {
  const dir = `${path}.d`;
  mkdirSync(join(dir, "listens", "2024"), { recursive: true });
  writeFileSync(join(dir, "user.json"), JSON.stringify({ user_id: 1, username: user }));
  const months = new Map<number, string[]>();
  const month = (m: number) => months.get(m) ?? months.set(m, []).get(m)!;
  for (const p of plays) month(new Date(p.time).getUTCMonth() + 1).push(listenBrainzLine(p));
  for (const [m, lines] of Object.entries(extraLines)) month(Number(m)).push(...lines);
  for (const [m, lines] of months) writeFileSync(join(dir, "listens", "2024", `${m}.jsonl`), `${lines.join("\n")}\n`);
  writeFileSync(join(dir, "feedback.jsonl"), "");
  execFileSync("python3", ["-c", "import shutil,sys; shutil.make_archive(sys.argv[1][:-4], 'zip', sys.argv[2])", path, dir]);
}

/** A Last.fm CSV in lastfm-to-csv's headered form (uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid). */
export function lastFmCsv(plays: readonly GenPlay[]): string {
  const q = (s: string | null) => `"${(s ?? "").replace(/"/g, '""')}"`;
  const rows = plays.map((p) => [Math.floor(p.time / 1000), q(new Date(p.time).toUTCString()), q(p.artist), q(""), q(p.album), q(""), q(p.title), q(p.mbid)].join(","));
  return `uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid\n${rows.join("\n")}\n`;
}

/** Spotify Extended Streaming History elements; `msPlayed` per play (a skip below the threshold is no play). */
export function spotifyJson(plays: readonly (GenPlay & { msPlayed: number; skipped?: boolean })[]): string {
  return JSON.stringify(
    plays.map((p) => ({
      ts: new Date(p.time).toISOString().replace(/\.\d{3}Z$/, "Z"),
      platform: "linux",
      ms_played: p.msPlayed,
      conn_country: "GB",
      master_metadata_track_name: p.title,
      master_metadata_album_artist_name: p.artist,
      master_metadata_album_album_name: p.album,
      spotify_track_uri: `spotify:track:${createHash("md5").update(p.title).digest("hex").slice(0, 22)}`,
      episode_name: null,
      reason_start: "trackdone",
      reason_end: p.skipped ? "fwdbtn" : "trackdone",
      shuffle: false,
      skipped: p.skipped ?? false,
      offline: false,
      incognito_mode: false,
    })),
  );
}
