/**
 * Matching export plays to catalogue tracks, in order: recording MBID, ISRC, then normalised artist + title (case,
 * diacritics, punctuation, "feat. …" and remaster notes ignored; live, remix, demo… versions kept apart), with the
 * album to break a tie. Pure: the caller loads the catalogue and reports.
 */

export interface MatchTrack {
  externalId: string;
  artist: string;
  title: string;
  album: string | null;
  recordingMbid: string | null;
  isrc: string | null;
}

export interface MatchQuery {
  artist: string;
  title: string;
  album: string | null;
  recordingMbid: string | null;
  isrc: string | null;
}

export type MatchRule = "mbid" | "isrc" | "artist-title" | "artist-title-album";
export const MATCH_RULES: readonly MatchRule[] = ["mbid", "isrc", "artist-title", "artist-title-album"];

export type MatchOutcome =
  | { kind: "matched"; track: string; rule: MatchRule }
  | { kind: "ambiguous"; candidates: string[] }
  | { kind: "unmatched" };

export interface CatalogIndex {
  byMbid: Map<string, string>;
  byIsrc: Map<string, string[]>;
  byText: Map<string, MatchTrack[]>;
}

/** "feat. X", "ft. X", "featuring X", "(with X)" in an artist credit or a title. */
const FEATURING = /\s*[([]?\s*\b(?:feat\.?|ft\.?|featuring|with)\s+[^)\]]*[)\]]?/giu;
/** Remaster notes name the same recording: "(Remastered 2011)", "- 2011 Remaster", "[Remastered Version]". */
const REMASTER = /\s*(?:[-–—]\s*|[([]\s*)(?:\d{4}\s+)?(?:digital(?:ly)?\s+)?remaster(?:ed)?(?:\s+(?:version|edition|\d{4}))*(?:\s+\d{4})?\s*[)\]]?/giu;
/** Version notes that name another recording or edit: kept, as a canonical word, so "Song (Live)" ≠ "Song". */
const VERSION = /\b(live|acoustic|demo|remix|instrumental|radio edit|edit|mono|unplugged|extended|karaoke)\b/iu;

/** Lower case, no diacritics, "&" as "and", punctuation as spaces, single spaces. */
export function normaliseText(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/['’`]/g, "")
    .replace(/ß/g, "ss")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .replace(/^the /, "");
}

/** The main artist of a credit: featured artists dropped. */
export function normaliseArtist(artist: string): string {
  return normaliseText(artist.replace(FEATURING, " "));
}

/**
 * A title reduced to what tells recordings apart: featured artists and remaster notes dropped; a version note
 * ("- Live", "(Live at Wembley)", "(Acoustic)") becomes one trailing "[live]"-style word, whether written with a
 * dash, in brackets or plain.
 */
export function normaliseTitle(title: string): string {
  let rest = title.replace(FEATURING, " ").replace(REMASTER, " ");
  const versions: string[] = [];
  // A suffix after " - " or in brackets is a note; a version word in it is kept, the rest (venue, year) dropped.
  rest = rest.replace(/\s*(?:\s[-–—]\s+([^-–—]+)$|[([]([^)\]]*)[)\]])/gu, (_m, dash: string | undefined, bracket: string | undefined) => {
    const note = (dash ?? bracket ?? "").toLowerCase();
    const v = VERSION.exec(note);
    if (v) versions.push(v[1]!.replace(/\s+/g, "-"));
    else if (dash !== undefined) return ` ${dash}`;
    return " ";
  });
  const base = normaliseText(rest);
  return versions.length ? `${base} [${[...new Set(versions)].sort().join(",")}]` : base;
}

const textKey = (artist: string, title: string) => `${normaliseArtist(artist)}\u0000${normaliseTitle(title)}`;

export function buildCatalogIndex(tracks: readonly MatchTrack[]): CatalogIndex {
  const index: CatalogIndex = { byMbid: new Map(), byIsrc: new Map(), byText: new Map() };
  for (const t of tracks) {
    if (t.recordingMbid) index.byMbid.set(t.recordingMbid.toLowerCase(), t.externalId);
    // A bare MBID as the track id (library scans, ListenBrainz-keyed catalogues) is one too.
    if (/^[0-9a-f-]{36}$/i.test(t.externalId)) index.byMbid.set(t.externalId.toLowerCase(), t.externalId);
    if (t.isrc) (index.byIsrc.get(t.isrc) ?? index.byIsrc.set(t.isrc, []).get(t.isrc)!).push(t.externalId);
    const key = textKey(t.artist, t.title);
    (index.byText.get(key) ?? index.byText.set(key, []).get(key)!).push(t);
  }
  return index;
}

export function matchListen(index: CatalogIndex, q: MatchQuery): MatchOutcome {
  if (q.recordingMbid) {
    const hit = index.byMbid.get(q.recordingMbid);
    if (hit) return { kind: "matched", track: hit, rule: "mbid" };
  }
  if (q.isrc) {
    const hits = index.byIsrc.get(q.isrc);
    if (hits?.length === 1) return { kind: "matched", track: hits[0]!, rule: "isrc" };
  }
  let candidates = index.byText.get(textKey(q.artist, q.title)) ?? [];
  // An export credit "A, B" or "A & B" whose catalogue credit is A alone.
  if (candidates.length === 0) {
    const first = q.artist.split(/\s*(?:,|;|\s&\s|\sx\s|\s\/\s)\s*/u)[0];
    if (first && first !== q.artist) candidates = index.byText.get(textKey(first, q.title)) ?? [];
  }
  if (candidates.length === 1) return { kind: "matched", track: candidates[0]!.externalId, rule: "artist-title" };
  if (candidates.length === 0) return { kind: "unmatched" };
  const album = q.album ? normaliseAlbum(q.album) : null;
  const onAlbum = album === null ? [] : candidates.filter((c) => c.album !== null && normaliseAlbum(c.album) === album);
  if (onAlbum.length === 1) return { kind: "matched", track: onAlbum[0]!.externalId, rule: "artist-title-album" };
  return { kind: "ambiguous", candidates: (onAlbum.length ? onAlbum : candidates).map((c) => c.externalId) };
}

function normaliseAlbum(album: string): string {
  return normaliseText(album.replace(REMASTER, " ").replace(/[([](?:deluxe|expanded|special|anniversary)[^)\]]*[)\]]/giu, " "));
}
