// What a generated playlist leaves out and how it orders what it keeps: the defaults an editor would pick. The
// GraphQL input (schema/playlist.ts), the playlistRules query the generator forms read, and generate.ts all take
// them from here.
import type { Db } from "@curator/db/client.js";

export interface PlaylistRules {
  /** Leave out tracks with an outlier flag no editor has rejected (OPEN or CONFIRMED). */
  skipFlagged: boolean;
  /** Leave out tracks shorter than this (stingers, jingles); 0 keeps every length. */
  minDurationSec: number;
  /** Reorder so no two tracks in a row share an artist where another order allows it. */
  spreadArtists: boolean;
}

export const DEFAULT_PLAYLIST_RULES: Readonly<PlaylistRules> = Object.freeze({ skipFlagged: true, minDurationSec: 45, spreadArtists: true });

/** Tracks the caller named (a seed, a path's ends) stay, whatever the rules say, at their places. */
export interface Pinned {
  first: boolean;
  last: boolean;
}

interface Candidate {
  id: number;
  artistId: number;
}

/**
 * The candidates (best first) the rules keep, at most `count`, artists spread. Pinned ends are kept and stay put.
 *
 * Example: `await applyPlaylistRules(db, [seed, a, b, c], DEFAULT_PLAYLIST_RULES, { first: true, last: false }, 3)`
 */
export async function applyPlaylistRules(db: Db, trackIds: readonly number[], rules: PlaylistRules, pinned: Pinned, count = trackIds.length): Promise<number[]> {
  const rows = await db.track.findMany({ where: { id: { in: [...trackIds] } }, select: { id: true, artistId: true, durationSec: true } });
  const flagged = rules.skipFlagged
    ? new Set((await db.outlierFlag.findMany({ where: { trackId: { in: [...trackIds] }, status: { not: "REJECTED" } }, select: { trackId: true } })).map((f) => f.trackId))
    : new Set<number>();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const lastIndex = trackIds.length - 1;
  const kept: Candidate[] = [];
  trackIds.forEach((id, i) => {
    const row = byId.get(id);
    if (!row) return;
    const isPinned = (pinned.first && i === 0) || (pinned.last && i === lastIndex);
    if (isPinned || (!flagged.has(id) && row.durationSec >= rules.minDurationSec)) kept.push(row);
  });
  const head = pinned.first ? kept.slice(0, 1) : [];
  const tail = pinned.last && kept.length > head.length ? kept.slice(-1) : [];
  const middle = kept.slice(head.length, kept.length - tail.length).slice(0, Math.max(count - head.length - tail.length, 0));
  const ordered = rules.spreadArtists ? spreadArtists([...head, ...middle], tail[0]) : [...head, ...middle];
  return [...ordered, ...tail].map((c) => c.id);
}

/**
 * Greedy: each place takes the best-ranked remaining track whose artist differs from the one before; near the end
 * it also keeps a pinned last track's artist off the place before it where an order allows. When every remaining
 * track shares the previous artist, the best of them. The first track stays first. Pure; exported for the unit test.
 */
export function spreadArtists<T extends Candidate>(ranked: readonly T[], pinnedLast?: T): T[] {
  if (ranked.length < 2) return [...ranked];
  const out = [ranked[0]!];
  const rest = ranked.slice(1);
  while (rest.length > 0) {
    const previous = out.at(-1)!.artistId;
    // The track that would end up just before the pinned last one, if this place took rest[i].
    const endsClash = (i: number) =>
      pinnedLast !== undefined && ((rest.length === 1 && rest[i]!.artistId === pinnedLast.artistId) || (rest.length === 2 && rest[1 - i]!.artistId === pinnedLast.artistId));
    let pick = rest.findIndex((c, i) => c.artistId !== previous && !endsClash(i));
    if (pick < 0) pick = rest.findIndex((c) => c.artistId !== previous);
    if (pick < 0) pick = 0;
    out.push(rest.splice(pick, 1)[0]!);
  }
  return out;
}
