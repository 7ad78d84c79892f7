import { albumKey, type CatalogRow } from "../types.js";
import { styleOfAlbumSource } from "../corpus/packages.js";
import { mulberry32 } from "../../util/random.js";
import { paretoInt, pickWeighted, shuffle } from "./rng.js";

/** The catalogue fields the simulator may read: metadata only, never audio. */
export type SimTrack = Pick<CatalogRow, "externalId" | "artist" | "album" | "albumSource" | "position" | "isShort">;

export interface SimulateOptions {
  seed?: number;
  users?: number;
  /** Share of tracks whose listens are held out for the cold-start test. */
  heldOutFraction?: number;
  /** Share of sessions that play a whole album in order. */
  albumSessionShare?: number;
  /** Share of users with a second, a-priori related style. */
  crossoverShare?: number;
  /** Pareto exponent of sessions per user (smaller = heavier tail). */
  activityExponent?: number;
  /** Track popularity ∝ rank^-exponent over a seeded random ranking. */
  popularityExponent?: number;
  maxSessionsPerUser?: number;
}

export interface SimListen {
  user: string;
  track: string;
  plays: number;
  /** The track is in the cold-start split: keep this listen out of factorisation. */
  heldOut: boolean;
}

export interface SimulationResult {
  listens: SimListen[];
  heldOutTracks: string[];
  users: string[];
  stats: { sessions: number; albumSessions: number; plays: number; activeUsers: number };
}

export const SIMULATOR_DEFAULTS: Required<SimulateOptions> = {
  seed: 20140805,
  users: 2000,
  heldOutFraction: 0.2,
  albumSessionShare: 0.3,
  crossoverShare: 0.2,
  activityExponent: 1.3,
  popularityExponent: 0.9,
  maxSessionsPerUser: 400,
};

/** Related styles a listener plausibly crosses over to (an assumption, like the package→style map). */
export const CROSSOVER_STYLES: Readonly<Record<string, readonly string[]>> = {
  chiptune: ["electronic", "pop"],
  electronic: ["chiptune", "rock", "ambient"],
  rock: ["electronic", "orchestral"],
  orchestral: ["ambient", "rock"],
  ambient: ["orchestral", "electronic"],
  pop: ["chiptune", "rock"],
};

export const SIMULATOR_HELP = `Simulated listening data (seeded; reads catalogue metadata only, never audio).
Assumptions:
  - Style of a soundtrack comes from its game's genre, fixed a priori per Debian package (orchestral, electronic,
    chiptune, rock, ambient, pop); a user's CSV albums share the style "user".
  - Each user has a home style and 1-3 favourite artists in it; ${SIMULATOR_DEFAULTS.crossoverShare * 100}% of users also
    cross over to one related style (chiptune-electronic-pop, rock-electronic-orchestral, orchestral-ambient...).
  - Activity is power-law: sessions per user follow a discrete Pareto law (exponent ${SIMULATOR_DEFAULTS.activityExponent}, cap
    ${SIMULATOR_DEFAULTS.maxSessionsPerUser}); track popularity is rank^-${SIMULATOR_DEFAULTS.popularityExponent} over a seeded random ranking.
  - ${SIMULATOR_DEFAULTS.albumSessionShare * 100}% of sessions play a whole soundtrack in order, stingers, intros and outros
    included: that is how short pieces get listens, and why collaborative filtering recommends them.
  - Other sessions play one track (60% from a favourite artist), repeated 1 + Geometric(1/2) times (at most 20);
    short tracks are rarely picked on their own (weight x0.1).
  - A seeded ${SIMULATOR_DEFAULTS.heldOutFraction * 100}% of tracks (the split depends on the seed and catalogue only) form the
    cold-start test set: all their listens are marked heldOut and none enter training.
Defaults: ${SIMULATOR_DEFAULTS.users} users, seed ${SIMULATOR_DEFAULTS.seed}.`;

interface Album {
  tracks: number[];
  style: string;
  weight: number;
}

export function simulateListens(catalog: readonly SimTrack[], options: SimulateOptions = {}): SimulationResult {
  const o = { ...SIMULATOR_DEFAULTS, ...options };
  if (catalog.length === 0) throw new Error("cannot simulate listens for an empty catalogue");
  if (!(o.heldOutFraction >= 0 && o.heldOutFraction < 1)) throw new Error(`heldOutFraction ${o.heldOutFraction} must be in [0, 1)`);
  if (!Number.isInteger(o.users) || o.users < 1) throw new Error(`users ${o.users} must be a positive integer`);
  // Input order must not matter: everything below is indexed on the id-sorted catalogue.
  const tracks = [...catalog].sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
  const rng = mulberry32(o.seed);

  const ranks = shuffle(rng, tracks.map((_, i) => i));
  const popularity = new Array<number>(tracks.length);
  ranks.forEach((t, r) => (popularity[t] = Math.pow(r + 1, -o.popularityExponent)));
  const soloWeight = tracks.map((t, i) => popularity[i]! * (t.isShort ? 0.1 : 1));

  const albums = groupAlbums(tracks, popularity);
  const styles = [...new Set(albums.map((a) => a.style))].sort();
  const styleWeight = styles.map((s) => albums.filter((a) => a.style === s).reduce((w, a) => w + a.weight, 0));
  const artistsOf = (style: string) => [...new Set(albums.filter((a) => a.style === style).flatMap((a) => a.tracks.map((t) => tracks[t]!.artist)))].sort();

  const plays = new Map<string, Map<number, number>>();
  const users: string[] = [];
  let sessions = 0;
  let albumSessions = 0;
  const width = String(o.users).length;
  for (let u = 0; u < o.users; u++) {
    const user = `sim-u${String(u + 1).padStart(width, "0")}`;
    users.push(user);
    const home = styles[pickWeighted(rng, styleWeight)]!;
    const related = (CROSSOVER_STYLES[home] ?? []).filter((s) => styles.includes(s));
    const second = rng() < o.crossoverShare && related.length > 0 ? related[Math.floor(rng() * related.length)] : undefined;
    const homeArtists = artistsOf(home);
    const favourites = new Set(shuffle(rng, [...homeArtists]).slice(0, 1 + Math.floor(rng() * 3)));
    const mine = new Map<number, number>();
    const n = paretoInt(rng, o.activityExponent, o.maxSessionsPerUser);
    for (let s = 0; s < n; s++) {
      sessions++;
      const style = second !== undefined && rng() < 0.3 ? second : home;
      const candidates = albums.filter((a) => a.style === style);
      if (rng() < o.albumSessionShare) {
        albumSessions++;
        const boost = candidates.map((a) => a.weight * (a.tracks.some((t) => favourites.has(tracks[t]!.artist)) ? 3 : 1));
        for (const t of candidates[pickWeighted(rng, boost)]!.tracks) mine.set(t, (mine.get(t) ?? 0) + 1);
        continue;
      }
      const pool = candidates.flatMap((a) => a.tracks);
      const fromFavourites = style === home && rng() < 0.6 ? pool.filter((t) => favourites.has(tracks[t]!.artist)) : [];
      const from = fromFavourites.length > 0 ? fromFavourites : pool;
      const t = from[pickWeighted(rng, from.map((i) => soloWeight[i]!))]!;
      let repeats = 1;
      while (repeats < 20 && rng() < 0.5) repeats++;
      mine.set(t, (mine.get(t) ?? 0) + repeats);
    }
    plays.set(user, mine);
  }

  const heldOutTracks = heldOutSplit(tracks, o.seed, o.heldOutFraction);
  const heldOut = new Set(heldOutTracks);
  const listens: SimListen[] = [];
  let total = 0;
  for (const [user, mine] of plays) {
    for (const [t, p] of [...mine].sort((a, b) => a[0] - b[0])) {
      const track = tracks[t]!.externalId;
      listens.push({ user, track, plays: p, heldOut: heldOut.has(track) });
      total += p;
    }
  }
  const activeUsers = [...plays.values()].filter((m) => m.size > 0).length;
  return { listens, heldOutTracks, users, stats: { sessions, albumSessions, plays: total, activeUsers } };
}

function groupAlbums(tracks: readonly SimTrack[], popularity: readonly number[]): Album[] {
  const byKey = new Map<string, number[]>();
  tracks.forEach((t, i) => {
    const key = albumKey(t);
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  });
  return [...byKey.keys()].sort().map((key) => {
    const members = byKey.get(key)!.sort((a, b) => tracks[a]!.position - tracks[b]!.position);
    const source = tracks[members[0]!]!.albumSource;
    return { tracks: members, style: styleOfAlbumSource(source) ?? "user", weight: members.reduce((w, t) => w + popularity[t]!, 0) };
  });
}

/** Depends on the seed and the set of track ids only, so more users or other options never move the split. */
export function heldOutSplit(tracks: readonly SimTrack[], seed: number, fraction: number): string[] {
  const ids = tracks.map((t) => t.externalId).sort();
  return shuffle(mulberry32(seed ^ 0x5bd1e995), ids).slice(0, Math.round(fraction * ids.length)).sort();
}
