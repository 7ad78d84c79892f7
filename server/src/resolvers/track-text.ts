import { distance } from "fastest-levenshtein";
import { backendOf, type Db, type TrackWhereInput } from "@curator/db/client.js";

/**
 * Forgiving catalogue search, the same on SQLite and PostgreSQL because every step is a Prisma `contains`:
 * 1. the text as typed, as one phrase ("Soundtrack 2" means that album, not every track with a 2 in it);
 * 2. when the phrase matches nothing, every word on its own, in any order ("chaosland escape");
 * 3. when that matches nothing either, each word that matched nothing is widened to the catalogue's words within
 *    a few edits of it or of their prefix ("chaoss" finds "chaosland"), so a typo still finds the track.
 * Each step runs only when the one before found nothing, so an exact search costs one extra count.
 */
export async function textWhere(db: Db, text: string): Promise<TrackWhereInput> {
  const insensitive = backendOf(db) === "postgres";
  const phrase = LIKE_WILDCARD.test(text) ? await literalPhrase(db, text) : anyField(text, insensitive);
  const words = wordsOf(text);
  if (words.length === 0 || (await db.track.count({ where: phrase, take: 1 })) > 0) return phrase;
  const allWords: TrackWhereInput = { AND: words.map((w) => anyField(w, insensitive)) };
  if (words.length > 1 && (await db.track.count({ where: allWords, take: 1 })) > 0) return allWords;
  const vocabulary = await catalogueWords(db);
  return {
    AND: words.map((word) => {
      const near = vocabulary.has(word) ? [] : nearWords(word, vocabulary);
      return { OR: [word, ...near].map((w) => anyField(w, insensitive)) };
    }),
  };
}

/** The most edits a word may be from a catalogue word: none for short words (too many near misses), then 1, then 2. */
export function maxEdits(word: string): number {
  return word.length < 4 ? 0 : word.length < 7 ? 1 : 2;
}

/** Lower-case words of letters and digits in any script; punctuation separates. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The catalogue words within maxEdits of `word`, whole or as a prefix of the same length (search as you type). */
export function nearWords(word: string, vocabulary: ReadonlySet<string>, limit = 20): string[] {
  const edits = maxEdits(word);
  if (edits === 0) return [];
  const scored: { w: string; d: number }[] = [];
  for (const candidate of vocabulary) {
    if (candidate.length < word.length - edits) continue;
    const d = Math.min(distance(word, candidate), distance(word, candidate.slice(0, word.length)));
    if (d <= edits) scored.push({ w: candidate, d });
  }
  return scored
    .sort((a, b) => a.d - b.d || a.w.localeCompare(b.w))
    .slice(0, limit)
    .map((s) => s.w);
}

/** Title, artist and album words, read once per VOCABULARY_TTL_MS per database (typos are rare; catalogues change slowly). */
const VOCABULARY_TTL_MS = 60_000;
const vocabularies = new WeakMap<Db, { at: number; words: Promise<Set<string>> }>();

function catalogueWords(db: Db): Promise<Set<string>> {
  const cached = vocabularies.get(db);
  if (cached && Date.now() - cached.at < VOCABULARY_TTL_MS) return cached.words;
  const words = (async () => {
    const [tracks, artists, albums] = await Promise.all([
      db.track.findMany({ select: { title: true } }),
      db.artist.findMany({ select: { name: true } }),
      db.album.findMany({ select: { title: true } }),
    ]);
    return new Set([...tracks.map((t) => t.title), ...artists.map((a) => a.name), ...albums.map((a) => a.title)].flatMap(wordsOf));
  })();
  vocabularies.set(db, { at: Date.now(), words });
  words.catch(() => vocabularies.delete(db));
  return words;
}

/** Characters LIKE reads as wildcards (and the escape character itself). */
const LIKE_WILDCARD = /[%_\\]/;

/**
 * The tracks whose title, artist or album contains `text` literally, for a phrase with `%`, `_` or a backslash in it.
 * Prisma's `contains` passes them on to LIKE as wildcards ("_" matched every track) and can't add an ESCAPE
 * clause, which SQLite needs (it has no default escape character), so this step is one raw query on both backends.
 */
async function literalPhrase(db: Db, text: string): Promise<TrackWhereInput> {
  const pattern = `%${text.replace(/[%_\\]/g, "\\$&")}%`;
  const rows =
    backendOf(db) === "postgres"
      ? await db.$queryRaw<{ id: number }[]>`SELECT t."id" FROM "Track" t JOIN "Artist" a ON a."id" = t."artistId" LEFT JOIN "Album" b ON b."id" = t."albumId"
          WHERE t."title" ILIKE ${pattern} ESCAPE '\\' OR a."name" ILIKE ${pattern} ESCAPE '\\' OR b."title" ILIKE ${pattern} ESCAPE '\\'`
      : await db.$queryRaw<{ id: number }[]>`SELECT t."id" FROM "Track" t JOIN "Artist" a ON a."id" = t."artistId" LEFT JOIN "Album" b ON b."id" = t."albumId"
          WHERE t."title" LIKE ${pattern} ESCAPE '\\' OR a."name" LIKE ${pattern} ESCAPE '\\' OR b."title" LIKE ${pattern} ESCAPE '\\'`;
  return { id: { in: rows.map((r) => Number(r.id)) } };
}

/** SQLite's LIKE ignores ASCII case by itself; PostgreSQL needs ILIKE, which Prisma spells mode: "insensitive". */
function anyField(text: string, insensitive: boolean): TrackWhereInput {
  const contains = (insensitive ? { contains: text, mode: "insensitive" } : { contains: text }) as { contains: string };
  return { OR: [{ title: contains }, { artist: { name: contains } }, { album: { title: contains } }] };
}
