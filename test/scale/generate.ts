/**
 * Synthetic catalogue and listening data for the large-scale run (issue 12): no catalogue of a million tracks
 * with listening data can be had offline, so both are drawn from a seeded generator and streamed to disk, never
 * held whole in memory.
 *
 * Catalogue: `tracks` rows in the columns of data/corpus/catalog.csv (CATALOG_COLUMNS), ten tracks per album, one
 * artist per album; the audio facts (duration, hash, codec) are made up and no audio file exists.
 * Listens: Echo Nest Taste Profile triplets (`user\tsong\tplays`, the NIPS paper's format), written user by user.
 * Each user's number of distinct tracks is Pareto (shape 2) with the mean chosen so that the plays add up to about
 * `plays`; half of a user's tracks come from one home "taste" (a thousandth of the catalogue), half from the whole
 * catalogue, both by rank^-0.9 popularity; plays per (user, track) are 1 + geometric with mean 3, close to the Taste
 * Profile's 2.9 plays per triplet.
 */
import { createHash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { CATALOG_COLUMNS } from "@curator/worker/ingest/catalog/csv.js";
import { Rng } from "@curator/worker/util/random.js";

export interface ScaleSpec {
  tracks: number;
  users: number;
  /** Listen events (plays) to aim for; the drawn total is reported. */
  plays: number;
  seed: number;
}

export interface ListenFigures {
  users: number;
  rows: number;
  plays: number;
}

const TRACKS_PER_ALBUM = 10;
const TASTES = 1000;
const POPULARITY_EXPONENT = 0.9;
const MEAN_PLAYS_PER_PAIR = 3;
const PARETO_SHAPE = 2;
/** The most distinct tracks one user is given (bounds the per-user set). */
const MAX_TRACKS_PER_USER = 20_000;

export function trackId(i: number): string {
  return `t${i}`;
}

/** Writes the catalogue CSV; returns the rows written. */
export function writeCatalog(path: string, spec: Pick<ScaleSpec, "tracks" | "seed">): number {
  const rng = new Rng(spec.seed);
  const out = new BufferedFile(path);
  out.write(CATALOG_COLUMNS.join(",") + "\n");
  for (let i = 0; i < spec.tracks; i++) {
    const album = Math.floor(i / TRACKS_PER_ALBUM);
    const duration = 30 + rng.int(400);
    const hash = createHash("sha256").update(`scale-track-${spec.seed}-${i}`).digest("hex");
    // Same order as CATALOG_COLUMNS.
    out.write(
      `${trackId(i)},Track ${i},Artist ${album},Album ${album},synthetic,synthetic,${(i % TRACKS_PER_ALBUM) + 1},${duration},` +
        `/synthetic/${trackId(i)}.ogg,${hash},2,44100,vorbis,${duration < 45},false,synthetic\n`,
    );
  }
  out.close();
  return spec.tracks;
}

/** Writes the Taste Profile triplets; returns what was drawn. */
export function writeListens(path: string, spec: ScaleSpec): ListenFigures {
  const rng = new Rng(spec.seed ^ 0x5eed);
  const out = new BufferedFile(path);
  const tasteSize = Math.max(1, Math.floor(spec.tracks / TASTES));
  const tastes = Math.ceil(spec.tracks / tasteSize);
  // Pareto(shape a, scale m) has mean a·m/(a−1): pick m so the expected plays come to spec.plays.
  const meanTracks = spec.plays / spec.users / MEAN_PLAYS_PER_PAIR;
  const scale = (meanTracks * (PARETO_SHAPE - 1)) / PARETO_SHAPE;
  // A fixed bijection rank → track (multiplier coprime to the count), so popular tracks are spread over the ids.
  const global = permutation(spec.tracks);
  const figures: ListenFigures = { users: 0, rows: 0, plays: 0 };
  const chosen = new Set<number>();
  for (let u = 0; u < spec.users; u++) {
    const want = Math.min(MAX_TRACKS_PER_USER, spec.tracks, Math.max(1, Math.round(scale / Math.pow(1 - rng.next(), 1 / PARETO_SHAPE))));
    const taste = rng.int(tastes);
    const tasteStart = taste * tasteSize;
    const tasteCount = Math.min(tasteSize, spec.tracks - tasteStart);
    chosen.clear();
    // Draws may repeat; a bounded number of attempts keeps a user whose taste is small from looping.
    for (let attempt = 0; chosen.size < want && attempt < 4 * want; attempt++) {
      const track = rng.next() < 0.5 ? tasteStart + zipfRank(rng, tasteCount) : global(zipfRank(rng, spec.tracks));
      chosen.add(track);
    }
    for (const track of chosen) {
      const plays = 1 + Math.floor(Math.log(1 - rng.next()) / Math.log(1 - 1 / MEAN_PLAYS_PER_PAIR));
      out.write(`u${u}\t${trackId(track)}\t${plays}\n`);
      figures.rows++;
      figures.plays += plays;
    }
    figures.users++;
  }
  out.close();
  return figures;
}

/** A rank in [0, n) with P(rank k) ∝ (k+1)^-0.9, by inverting the continuous approximation of the CDF. */
export function zipfRank(rng: Rng, n: number): number {
  const e = 1 - POPULARITY_EXPONENT;
  const x = Math.pow((Math.pow(n + 1, e) - 1) * rng.next() + 1, 1 / e);
  return Math.min(n - 1, Math.floor(x) - 1);
}

function permutation(n: number): (rank: number) => number {
  let a = 7919;
  while (gcd(a, n) !== 1) a += 2;
  return (rank) => (rank * a + 13) % n;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Appends text through a 4 MiB buffer: synchronous writes keep the generator a plain loop. */
class BufferedFile {
  private readonly fd: number;
  private parts: string[] = [];
  private size = 0;

  constructor(path: string) {
    this.fd = openSync(path, "w");
  }

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 4 * 2 ** 20) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    writeSync(this.fd, this.parts.join(""));
    this.parts = [];
    this.size = 0;
  }
}
