/**
 * Listening-data importers: pure parsers over lines (see lines.ts for reading a file safely). Each returns one
 * triplet per (user, track) with plays summed, every malformed row with its 1-based line number, and the
 * (user, track) pairs that appeared on more than one row. Whether ids exist is the caller's question: see
 * partitionKnown.
 */
import { parse } from "csv-parse/sync";

export const LISTEN_FORMATS = ["taste-profile", "jsonl", "csv"] as const;
export type ListenFormat = (typeof LISTEN_FORMATS)[number];

export interface ListenTriplet {
  user: string;
  track: string;
  plays: number;
  /** Line of the first row that named this pair. */
  row: number;
}

export interface RowError {
  row: number;
  reason: string;
}

export interface DuplicatePair {
  user: string;
  track: string;
  /** Every line that named the pair; their plays were summed. */
  rows: number[];
}

export interface ListenImport {
  triplets: ListenTriplet[];
  errors: RowError[];
  duplicates: DuplicatePair[];
  /** Non-blank lines read (header included). */
  linesRead: number;
}

export interface ImportOptions {
  /** Longer lines are rejected, not parsed (default 4096 characters). */
  maxLineLength?: number;
}

export const DEFAULT_MAX_LINE_LENGTH = 4096;
export const CSV_HEADER = ["user_id", "track_id", "plays"] as const;

/** A JSON-lines listen: one play of a pair at a time (Unix ms). */
export interface TimedListen {
  user: string;
  track: string;
  time: number;
  row: number;
}

/** A (user, track) pair as one map key, the ids joined by NUL; the importer and storeListenFile key pairs alike. */
export const pairKey = (p: { user: string; track: string }): string => `${p.user}\u0000${p.track}`;

/** Why a listen is left out: the same scrobble twice (same user, track and time) is an export artefact, not a play. */
export const sameListenReason = (user: string, track: string): string =>
  `same listen as an earlier row (user ${user}, track ${track}, same timestamp); counted once`;

type Parsed = { user: string; track: string; plays: number; time?: number } | { error: string } | { skip: true };
type LineParser = (line: string, row: number) => Parsed;

export async function importListens(lines: Iterable<string> | AsyncIterable<string>, format: ListenFormat, opts: ImportOptions = {}): Promise<ListenImport> {
  for await (const whole of importListenChunks(lines, format, { ...opts, chunkPairs: Infinity, chunkListens: Infinity })) return whole;
  return { triplets: [], errors: [], duplicates: [], linesRead: 0 };
}

export interface ChunkOptions extends ImportOptions {
  /** A chunk is handed on once it holds this many distinct (user, track) pairs… */
  chunkPairs: number;
  /**
   * …or this many JSON-lines listens: each is remembered until then to spot a repeated scrobble, and a few pairs
   * played millions of times (a station's log) would otherwise outgrow V8's 2^24-entry Set.
   */
  chunkListens: number;
  /**
   * Called with each JSON-lines listen a chunk counts (a repeat within the chunk is not one), in file order: what a
   * caller needs to find a listen repeated in a later chunk.
   */
  onListen?: (listen: TimedListen) => void;
}

/**
 * importListens in chunks, for files too large to hold (100M listens): row numbers count from the file's start,
 * but pairs are summed, and repeated rows and scrobbles reported, within a chunk only; the store sums a pair that
 * recurs in a later chunk, and storeListenFile reports it and takes back a scrobble that recurs (see onListen).
 */
export async function* importListenChunks(lines: Iterable<string> | AsyncIterable<string>, format: ListenFormat, opts: ChunkOptions): AsyncGenerator<ListenImport> {
  const maxLength = opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const parseLine = PARSERS[format]();
  let pairs = new Map<string, ListenTriplet & { rows: number[] }>();
  let events = new Set<string>();
  let errors: RowError[] = [];
  let row = 0;
  let linesRead = 0;
  const chunk = (): ListenImport => {
    const triplets: ListenTriplet[] = [];
    const duplicates: DuplicatePair[] = [];
    for (const p of pairs.values()) {
      triplets.push({ user: p.user, track: p.track, plays: p.plays, row: p.row });
      // Several rows for one pair are the norm in listen logs (each row is one play); in triplet files they are not.
      if (p.rows.length > 1 && format !== "jsonl") duplicates.push({ user: p.user, track: p.track, rows: p.rows });
    }
    const out = { triplets, errors, duplicates, linesRead };
    pairs = new Map();
    events = new Set();
    errors = [];
    linesRead = 0;
    return out;
  };
  for await (const line of lines) {
    row++;
    if (line.trim() === "") continue;
    linesRead++;
    if (line.length > maxLength) {
      errors.push({ row, reason: `line longer than ${maxLength} characters` });
      continue;
    }
    const text = badText(line);
    if (text) {
      errors.push({ row, reason: text });
      continue;
    }
    const parsed = parseLine(line, row);
    if ("skip" in parsed) continue;
    if ("error" in parsed) {
      errors.push({ row, reason: parsed.error });
      continue;
    }
    const key = pairKey(parsed);
    if (parsed.time !== undefined) {
      const event = `${key}\u0000${parsed.time}`;
      if (events.has(event)) {
        errors.push({ row, reason: sameListenReason(parsed.user, parsed.track) });
        continue;
      }
      events.add(event);
      opts.onListen?.({ user: parsed.user, track: parsed.track, time: parsed.time, row });
    }
    const seen = pairs.get(key);
    if (seen) {
      seen.plays += parsed.plays;
      seen.rows.push(row);
    } else {
      pairs.set(key, { user: parsed.user, track: parsed.track, plays: parsed.plays, row, rows: [row] });
    }
    if (pairs.size >= opts.chunkPairs || events.size >= opts.chunkListens) yield chunk();
  }
  yield chunk();
}

/** PostgreSQL's integer column holds at most 2^31 - 1; SQLite would take more and the factors turn NaN. */
export const MAX_PLAYS = 2_147_483_647;
/** C0 controls but tab (the triplets' separator) and CR (stripped at line ends), and DEL: never in an id. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** Why a line cannot hold listens whatever its format, or undefined. */
function badText(line: string): string | undefined {
  // The reader decodes UTF-8 with replacement: Latin-1 ids "josé" and "josè" would both become "jos\uFFFD", one user.
  if (line.includes("\uFFFD")) return "not UTF-8 (Latin-1 or Windows-1252?): save the file as UTF-8";
  const control = CONTROL.exec(line);
  if (control) return `control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")} in the line`;
  return undefined;
}

function parsePlays(text: string): number | string {
  if (!/^-?\d+$/.test(text.trim())) return `plays "${text}" is not a whole number`;
  const n = Number(text);
  if (n <= 0) return `plays ${n} must be at least 1`;
  if (!Number.isSafeInteger(n) || n > MAX_PLAYS) return `plays ${text.trim()} is above ${MAX_PLAYS}, the most one row may hold`;
  return n;
}

function triplet(user: string | undefined, track: string | undefined, playsText: string | undefined): Parsed {
  if (!user) return { error: "empty user id" };
  if (!track) return { error: "empty track id" };
  const plays = parsePlays(playsText ?? "");
  return typeof plays === "string" ? { error: plays } : { user, track, plays };
}

/** Echo Nest Taste Profile: `user \t song \t plays`, no header. */
function tasteProfileParser(): LineParser {
  return (line) => {
    const cols = line.split("\t");
    if (cols.length !== 3) return { error: `${cols.length} tab-separated columns, expected 3 (user, song, plays)` };
    return triplet(cols[0]?.trim(), cols[1]?.trim(), cols[2]);
  };
}

/** CSV with header `user_id,track_id,plays`; quoted fields allowed (ids may hold commas). */
function csvParser(): LineParser {
  let header = false;
  return (line) => {
    const cols = splitCsvLine(line);
    if (typeof cols === "string") return { error: cols };
    if (!header) {
      header = true;
      if (cols.join(",").toLowerCase() !== CSV_HEADER.join(",")) return { error: `header must be ${CSV_HEADER.join(",")}, got ${cols.join(",")}` };
      return { skip: true };
    }
    if (cols.length !== 3) return { error: `${cols.length} columns, expected 3 (${CSV_HEADER.join(",")})` };
    return triplet(cols[0]?.trim(), cols[1]?.trim(), cols[2]);
  };
}

/**
 * One CSV line's fields (RFC 4180 quoting: "" inside quotes is a quote), or why it has none. Quotes are relaxed:
 * one inside an unquoted field (an id like 12" mix) is kept as text rather than failing the row.
 */
export function splitCsvLine(line: string): string[] | string {
  try {
    const rows = parse(line, { relax_quotes: true }) as string[][];
    return rows[0] ?? [""];
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "CSV_QUOTE_NOT_CLOSED") return "unterminated quoted field";
    return (err as Error).message;
  }
}

interface JsonListen {
  user?: unknown; user_name?: unknown; user_id?: unknown;
  track?: unknown; track_id?: unknown;
  timestamp?: unknown; listened_at?: unknown;
  track_metadata?: { additional_info?: { recording_msid?: unknown; recording_mbid?: unknown } };
}

/**
 * One listen per line: Last.fm-style `{user, track, timestamp}` or a ListenBrainz export line
 * (`user_name`, `listened_at`, track id from `track_metadata.additional_info.recording_mbid|recording_msid`).
 * Each line is one play.
 */
function jsonlParser(): LineParser {
  return (line) => {
    let obj: JsonListen;
    try {
      obj = JSON.parse(line) as JsonListen;
    } catch (e) {
      return { error: `not JSON: ${(e as Error).message}` };
    }
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return { error: "not a JSON object" };
    const info = obj.track_metadata?.additional_info;
    const user = firstString(obj.user, obj.user_name, obj.user_id);
    const track = firstString(obj.track, obj.track_id, info?.recording_mbid, info?.recording_msid);
    const time = obj.timestamp ?? obj.listened_at;
    if (!user) return { error: "no user (user / user_name / user_id)" };
    if (!track) return { error: "no track id (track / track_id / track_metadata.additional_info.recording_mbid)" };
    const ms = typeof time === "number" ? time * 1000 : typeof time === "string" ? (/^\d+$/.test(time) ? Number(time) * 1000 : Date.parse(time)) : NaN;
    if (!Number.isFinite(ms)) return { error: `timestamp ${JSON.stringify(time)} is not a Unix time or ISO date` };
    return { user, track, plays: 1, time: ms };
  };
}

function firstString(...values: unknown[]): string | undefined {
  for (const v of values) {
    if (typeof v === "string" && v.trim() !== "") return v.trim();
    if (typeof v === "number") return String(v);
  }
  return undefined;
}

const PARSERS: Record<ListenFormat, () => LineParser> = { "taste-profile": tasteProfileParser, jsonl: jsonlParser, csv: csvParser };

export function parseListenFormat(value: string): ListenFormat {
  if (value === "taste-profile" || value === "jsonl" || value === "csv") return value;
  throw new Error(`unknown listen format "${value}" (expected taste-profile, jsonl or csv)`);
}

/**
 * Splits triplets into those whose track (and, when given, user) is known and row-numbered errors for the rest, so
 * the ingest stage can report unknown ids against the file they came from.
 */
export function partitionKnown(triplets: readonly ListenTriplet[], knownTracks: ReadonlySet<string>, knownUsers?: ReadonlySet<string>): { known: ListenTriplet[]; unknown: RowError[] } {
  const known: ListenTriplet[] = [];
  const unknown: RowError[] = [];
  for (const t of triplets) {
    if (!knownTracks.has(t.track)) unknown.push({ row: t.row, reason: `unknown track id "${t.track}"` });
    else if (knownUsers && !knownUsers.has(t.user)) unknown.push({ row: t.row, reason: `unknown user id "${t.user}"` });
    else known.push(t);
  }
  return { known, unknown };
}
