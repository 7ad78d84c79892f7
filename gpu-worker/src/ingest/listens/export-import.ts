import type { Db } from "@curator/db/client.js";
import type { BadItem } from "../types.js";
import { storeListens, type ListenInput } from "../store/listen-store.js";
import { buildCatalogIndex, matchListen, MATCH_RULES, type MatchOutcome, type MatchRule, type MatchTrack } from "./match.js";
import type { ExportItem, ExportListen } from "./formats/export-listen.js";
import { EXPORT_FORMATS, type ExportFormat } from "./formats/registry.js";
import type { SpotifyCounts } from "./formats/spotify.js";

export interface ExportImportOptions {
  path: string;
  format: ExportFormat;
  /** The user the plays belong to where the export does not say (Last.fm, Spotify). */
  user?: string;
  /** Spotify: shortest stream counted as a play (default SPOTIFY_MIN_PLAY_MS). */
  minPlayMs?: number;
  /** Match and report only; store nothing. */
  dryRun?: boolean;
  /** Drop the stored listens of the export's users first (an export is a whole history: importing it again then replaces it). */
  replace?: boolean;
  /** How many unmatched and ambiguous tracks the report lists (most played first). */
  top?: number;
  onProgress?: (plays: number) => void;
}

export interface UnmatchedTrack {
  artist: string;
  title: string;
  plays: number;
  /** Ambiguous only: the catalogue tracks it could be. */
  candidates?: string[];
}

export interface MatchReport {
  /** Plays read (a repeated scrobble, same user, track and time, counted once). */
  plays: number;
  matchedPlays: number;
  byRule: Record<MatchRule, number>;
  ambiguousPlays: number;
  unmatchedPlays: number;
  /** matchedPlays / plays. */
  share: number;
  users: string[];
  repeated: number;
  /** Spotify: streams below the threshold, and podcast episodes, left out before matching. */
  tooShort: number;
  notMusic: number;
  ambiguous: UnmatchedTrack[];
  unmatched: UnmatchedTrack[];
}

export interface ExportImportResult {
  report: MatchReport;
  /** The pairs stored (none on a dry run). */
  stored: number;
  /** Stored (user, track) pairs dropped first (`replace`). */
  replaced: number;
  bad: BadItem[];
  /** Matched plays as (user, track, plays): what was (or would be) stored. */
  listens: ListenInput[];
}

/** The parser of the export's format (formats/registry.ts); each yields ExportItems. */
export function readExport(opts: Pick<ExportImportOptions, "path" | "format" | "user" | "minPlayMs">, counts?: SpotifyCounts): AsyncGenerator<ExportItem> {
  return EXPORT_FORMATS[opts.format].read({ path: opts.path, user: opts.user, minPlayMs: opts.minPlayMs, counts });
}

/** The catalogue as the matcher sees it: every track, missing files included (their history is kept). */
export async function loadMatchTracks(db: Db): Promise<MatchTrack[]> {
  const tracks = await db.track.findMany({
    select: { externalId: true, title: true, recordingMbid: true, isrc: true, artist: { select: { name: true } }, album: { select: { title: true } } },
  });
  return tracks.map((t) => ({ externalId: t.externalId, title: t.title, artist: t.artist.name, album: t.album?.title ?? null, recordingMbid: t.recordingMbid, isrc: t.isrc }));
}

/**
 * Reads an export, matches every play to the catalogue (match.ts), and unless it is a dry run stores the matched
 * plays per (user, track) in one transaction (storeListens). The report says how many plays each rule matched,
 * which were ambiguous or unmatched (most played first), and the share of plays matched.
 */
export async function importExport(db: Db, opts: ExportImportOptions): Promise<ExportImportResult> {
  const index = buildCatalogIndex(await loadMatchTracks(db));
  const counts: SpotifyCounts = { tooShort: 0, notMusic: 0 };
  const bad: BadItem[] = [];
  const byRule = Object.fromEntries(MATCH_RULES.map((r) => [r, 0])) as Record<MatchRule, number>;
  // Exports repeat the same few thousand tracks: each distinct description is matched once.
  const memo = new Map<string, MatchOutcome>();
  const pairs = new Map<string, ListenInput>();
  const seen = new Set<string>();
  const missed = new Map<string, UnmatchedTrack>();
  const ambiguous = new Map<string, UnmatchedTrack>();
  const users = new Set<string>();
  let plays = 0;
  let repeated = 0;
  for await (const item of readExport(opts, counts)) {
    if ("bad" in item) {
      bad.push(item.bad);
      continue;
    }
    const l: ExportListen = item.listen;
    const key = [l.artist, l.title, l.album ?? "", l.recordingMbid ?? "", l.isrc ?? ""].join("\u0000");
    let outcome = memo.get(key);
    if (!outcome) memo.set(key, (outcome = matchListen(index, l)));
    const who = outcome.kind === "matched" ? outcome.track : key;
    const event = `${l.user}\u0000${who}\u0000${l.time}`;
    if (seen.has(event)) {
      repeated++;
      bad.push({ item: l.item, reason: `same listen as an earlier row (user ${l.user}, "${l.artist} – ${l.title}", same time); counted once` });
      continue;
    }
    seen.add(event);
    plays++;
    users.add(l.user);
    if (plays % 10_000 === 0) opts.onProgress?.(plays);
    if (outcome.kind === "matched") {
      byRule[outcome.rule]++;
      const pair = `${l.user}\u0000${outcome.track}`;
      const p = pairs.get(pair);
      if (p) p.plays++;
      else pairs.set(pair, { user: l.user, track: outcome.track, plays: 1 });
      continue;
    }
    const tally = outcome.kind === "ambiguous" ? ambiguous : missed;
    const textKey = `${l.artist}\u0000${l.title}`;
    const t = tally.get(textKey);
    if (t) t.plays++;
    else tally.set(textKey, { artist: l.artist, title: l.title, plays: 1, ...(outcome.kind === "ambiguous" ? { candidates: outcome.candidates } : {}) });
  }
  const matchedPlays = MATCH_RULES.reduce((s, r) => s + byRule[r], 0);
  const top = opts.top ?? 20;
  const mostPlayed = (m: Map<string, UnmatchedTrack>) => [...m.values()].sort((a, b) => b.plays - a.plays || a.artist.localeCompare(b.artist)).slice(0, top);
  const sum = (m: Map<string, UnmatchedTrack>) => [...m.values()].reduce((s, t) => s + t.plays, 0);
  const report: MatchReport = {
    plays,
    matchedPlays,
    byRule,
    ambiguousPlays: sum(ambiguous),
    unmatchedPlays: sum(missed),
    share: plays ? matchedPlays / plays : 0,
    users: [...users].sort(),
    repeated,
    tooShort: counts.tooShort,
    notMusic: counts.notMusic,
    ambiguous: mostPlayed(ambiguous),
    unmatched: mostPlayed(missed),
  };
  const listens = [...pairs.values()];
  if (opts.dryRun || listens.length === 0) return { report, stored: 0, replaced: 0, bad, listens };
  const out = await storeListens(db, listens, opts.path, { replace: opts.replace ?? false });
  return { report, stored: out.stored, replaced: out.replaced, bad: [...bad, ...out.bad], listens };
}

/** The report as the CLI prints it. */
export function formatMatchReport(r: MatchReport, source: string): string {
  const pct = (n: number) => (r.plays ? `${((100 * n) / r.plays).toFixed(1)}%` : "–");
  const lines = [
    `match report for ${source}: ${r.plays} plays by ${r.users.length} user(s) (${r.users.slice(0, 5).join(", ")}${r.users.length > 5 ? ", …" : ""})`,
    ...(r.repeated ? [`  ${r.repeated} repeated scrobbles counted once`] : []),
    ...(r.tooShort || r.notMusic ? [`  left out before matching: ${r.tooShort} streams below the minimum play time, ${r.notMusic} podcast/audiobook streams`] : []),
    `  matched      ${String(r.matchedPlays).padStart(8)}  ${pct(r.matchedPlays)}`,
    ...MATCH_RULES.map((rule) => `    by ${rule.padEnd(19)}${String(r.byRule[rule]).padStart(8)}  ${pct(r.byRule[rule])}`),
    `  ambiguous    ${String(r.ambiguousPlays).padStart(8)}  ${pct(r.ambiguousPlays)}`,
    `  unmatched    ${String(r.unmatchedPlays).padStart(8)}  ${pct(r.unmatchedPlays)}`,
  ];
  if (r.ambiguous.length) {
    lines.push("  ambiguous (most played):");
    for (const t of r.ambiguous) lines.push(`    ${String(t.plays).padStart(6)}  ${t.artist} – ${t.title}  (could be ${t.candidates!.join(", ")})`);
  }
  if (r.unmatched.length) {
    lines.push("  unmatched (most played):");
    for (const t of r.unmatched) lines.push(`    ${String(t.plays).padStart(6)}  ${t.artist} – ${t.title}`);
  }
  lines.push(`  share of plays matched: ${(100 * r.share).toFixed(1)}%`);
  return lines.join("\n");
}
