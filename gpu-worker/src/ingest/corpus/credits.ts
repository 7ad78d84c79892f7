import { XMLParser } from "fast-xml-parser";
import { parse as parseIni } from "ini";

/** What a package's own files say about one track; every field optional, later sources fill the gaps. */
export interface Credit {
  title?: string;
  artist?: string;
  album?: string;
  /** Order on the album when the package states one (album.json track order). */
  order?: number;
}

/** Warzone 2100's album.json: album title and per-track title/author, in play order. Keys are file names. */
export function parseWarzoneAlbum(json: string): Map<string, Credit> {
  const album = JSON.parse(json) as { title?: string; author?: string; tracks?: { filename?: string; title?: string; author?: string }[] };
  const out = new Map<string, Credit>();
  for (const [i, t] of (album.tracks ?? []).entries()) {
    if (!t.filename) continue;
    out.set(t.filename, { title: t.title, artist: t.author ?? album.author, album: album.title, order: i + 1 });
  }
  return out;
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" });

/** SuperTuxKart's <music title=… composer=… file=…/>; returns the audio file name it describes. */
export function parseStkMusic(text: string): { file: string; credit: Credit } | undefined {
  const music = (xml.parse(text) as { music?: Record<string, string> }).music;
  if (!music?.file) return undefined;
  return { file: music.file, credit: { title: music.title, artist: music.composer } };
}

/** Extreme Tux Racer's music readme: "Name <mail> composed:" followed by indented file names. */
export function parseEtrReadme(text: string): Map<string, Credit> {
  const out = new Map<string, Credit>();
  let artist: string | undefined;
  for (const line of text.split("\n")) {
    const head = /^(\S.*?)\s*(?:<[^>]*>)?\s*composed:\s*$/.exec(line);
    if (head?.[1]) artist = head[1].trim();
    else if (artist && /^\s+\S+\.\w+\s*$/.test(line)) out.set(line.trim(), { artist });
    else if (line.trim() === "") artist = undefined;
  }
  return out;
}

/** OpenClonk's authors.txt table ("Author   Work1, Work2"); keys are work names without extension or '@'. */
export function parseOpenclonkAuthors(text: string): Map<string, Credit> {
  const out = new Map<string, Credit>();
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^=+$/.test(l.trim()));
  for (const line of lines.slice(start + 1)) {
    const m = /^(\S(?:.*?\S)?)\s{2,}(\S.*)$/.exec(line);
    if (!m?.[1] || !m[2]) continue;
    for (const work of m[2].split(",")) out.set(work.trim(), { artist: m[1] });
  }
  return out;
}

/** Frets on Fire's song.ini: [song] name and artist (the artist line often carries "Composed by" or a URL). */
export function parseFofSongIni(text: string): Credit {
  const song = (parseIni(text) as { song?: { name?: string; artist?: string } }).song ?? {};
  return { title: song.name, artist: song.artist === undefined ? undefined : cleanArtist(song.artist) };
}

function cleanArtist(raw: string): string | undefined {
  const name = raw
    .replace(/^(?:composed|written|performed|and|by|\s)+/gi, "")
    .replace(/\s+-\s+\S*(?:www\.|https?:)\S*$/i, "")
    .trim();
  return name || undefined;
}

/**
 * Tracker modules have no artist field; composers sign in the song message ("written and tracked by\njoseph
 * toscano", "\"Goin' march\"\nby\nYuri R. Sucupira", "MUSIC BY REG & ZBB 01"). Only a "by" that opens a line
 * (optionally after "music"/"composed"/"written and tracked") is trusted: ripper banners ("Converted with
 * Pro-Wizard by Gryzor!") decorate their lines.
 */
export function composerFromTrackerMessage(message: string): string | undefined {
  const m = /(?:^|\n)[ \t]*(?:(?:written and tracked|composed|music)[ \t]+)?by\b[ \t]*\n?[ \t]*([^\n@]+)/i.exec(message);
  const name = m?.[1]?.replace(/\s+\d+\s*$/, "").trim();
  if (!name || name.length < 3) return undefined;
  return name === name.toLowerCase() || name === name.toUpperCase() ? titleCase(name) : name;
}

function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s&.'-])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
}

/**
 * An ARTIST/COMPOSER tag as a name: multi-valued tags ("A;A \"nick\" B") keep their first value, and a bare web
 * address (some Vorbis files put the composer's site there) is no name at all.
 */
export function artistFromTag(tag: string | undefined): string | undefined {
  const first = tag?.split(";")[0]?.trim();
  if (!first || /^(?:https?:\/\/|www\.)\S*$/i.test(first)) return undefined;
  return first;
}

/** "arctic_breeze" → "Arctic Breeze": the title when nothing names the track. */
export function titleFromFileName(stem: string): string {
  const words = stem.replace(/^@/, "").replace(/[_-]+/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").trim();
  return words.replace(/(^|\s)(\p{Ll})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
}
