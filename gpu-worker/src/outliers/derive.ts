// Labelled remixes and covers for training and evaluation, made with ffmpeg from real catalogue tracks: the
// corpus has stingers and intros of its own but no remixes or covers. A remix keeps its artist and changes tempo,
// pitch and arrangement (EQ, band filtering, a reversed segment, mixed-in noise); a cover is a pitch-shifted,
// re-timbred (filtered, echoed, chorused) version attributed to a made-up cover artist. Both are synthetic: real
// covers are new performances, these are signal-processed copies, and they are stored as such (origin
// "derived-remix" / "derived-cover", derivedFromId = the source) so nothing mistakes them for catalogue music.
// Intros and outros are cut from a real track and placed on its album: an intro is the source's opening 15-40 s
// with a fade-in, put before the album's first track (position min - 1); an outro is its last 20-45 s with a long
// fade-out, put after the last (position max + 1); origin "derived-intro" / "derived-outro". One of each per album
// at most, since only one track can open or close it. The album position is what the pipeline reads anyway
// (Track.position), so the labels are never consulted by the model; what is synthetic is the excerpt itself.
import { createHash } from "node:crypto";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";

import type { Db } from "@curator/db/client.js";

import { audioColumns } from "../ingest/catalog/rows.js";
import { describeAudio } from "../ingest/probe.js";
import { execFile } from "../util/run-tool.js";
import { Rng } from "../util/random.js";
import { DERIVED_ORIGINS } from "./labels.js";
import { dataPaths } from "../paths.js";

export interface DeriveOptions {
  remixes: number;
  covers: number;
  /** Intros / outros to make, one per album at most (default 0). */
  intros?: number;
  outros?: number;
  seed?: number;
  /** Where the rendered files go. Default data/derived. */
  outDir?: string;
  onProgress?: (done: number, total: number, item: string) => Promise<void>;
  onBad?: (item: string, reason: string) => Promise<void>;
}

export interface DeriveResult {
  created: number;
  existing: number;
  failed: number;
}

const RATE = 44100;
/** Made-up artists the synthetic covers are attributed to. */
const COVER_ARTISTS = ["Synthetic Cover Ensemble A", "Synthetic Cover Ensemble B", "Synthetic Cover Ensemble C"];

export interface Recipe {
  /** ffmpeg -filter_complex graph from [0:a] to [out]. */
  graph: string;
  /** What was done, for the title suffix and the report. */
  description: string;
  titleSuffix: string;
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)]!;

/** Pitch shift by `semitones` without changing tempo: resample-rate trick, then atempo undoes the speed change. */
function pitchShift(semitones: number): string {
  const ratio = 2 ** (semitones / 12);
  return `asetrate=${Math.round(RATE * ratio)},aresample=${RATE},atempo=${(1 / ratio).toFixed(5)}`;
}

/** A remix recipe for a source of `duration` seconds: a tempo or pitch change plus one arrangement change. */
export function remixRecipe(rng: Rng, duration: number): Recipe {
  const tempo = pick(rng, [0.85, 0.9, 1.1, 1.15, 1.2]);
  const semitones = pick(rng, [0, 0, -2, -1, 1, 2]);
  const base = [`aresample=${RATE}`, `atempo=${tempo}`, ...(semitones !== 0 ? [pitchShift(semitones)] : [])].join(",");
  const arrangement = pick(rng, ["eq", "band", "reverse", "noise"] as const);
  const length = duration / tempo;
  let graph: string;
  switch (arrangement) {
    case "eq":
      graph = `[0:a]${base},bass=g=9,treble=g=-8[out]`;
      break;
    case "band":
      graph = `[0:a]${base},highpass=f=250,lowpass=f=4500,volume=2[out]`;
      break;
    case "reverse": {
      // A reversed stretch in the middle, a common remix device; the rest plays forward.
      const from = Math.max(0, length * 0.4);
      const to = Math.min(length, from + Math.min(8, length * 0.2));
      graph =
        `[0:a]${base},asplit=3[a][b][c];[a]atrim=0:${from.toFixed(3)}[a1];` +
        `[b]atrim=${from.toFixed(3)}:${to.toFixed(3)},asetpts=PTS-STARTPTS,areverse[b1];` +
        `[c]atrim=${to.toFixed(3)},asetpts=PTS-STARTPTS[c1];[a1][b1][c1]concat=n=3:v=0:a=1[out]`;
      break;
    }
    case "noise":
      graph = `[0:a]${base}[m];anoisesrc=c=pink:a=0.06:r=${RATE}:d=${Math.ceil(length)}:seed=${rng.int(2 ** 31)}[n];[m][n]amix=inputs=2:duration=first:normalize=0[out]`;
      break;
  }
  const suffix = tempo < 1 ? "Slow Version" : arrangement === "noise" || arrangement === "reverse" ? "Remix" : "Extended Mix";
  return { graph, description: `tempo ×${tempo}, ${semitones} semitones, ${arrangement}`, titleSuffix: suffix };
}

/** A cover recipe: shifted pitch, changed timbre (filtering, echo, chorus) and a slightly different tempo. */
export function coverRecipe(rng: Rng): Recipe {
  const semitones = pick(rng, [-4, -3, -2, 2, 3, 4]);
  const tempo = pick(rng, [0.95, 0.97, 1.03, 1.05]);
  const timbre = pick(rng, [
    "lowpass=f=3000,aecho=0.8:0.7:60:0.35",
    "highpass=f=180,chorus=0.6:0.9:50:0.4:0.25:2,treble=g=5",
    "equalizer=f=800:t=q:w=1:g=8,aecho=0.8:0.6:30|45:0.3|0.2",
  ]);
  return {
    graph: `[0:a]aresample=${RATE},${pitchShift(semitones)},atempo=${tempo},${timbre}[out]`,
    description: `${semitones} semitones, tempo ×${tempo}, ${timbre.split("=")[0]} timbre`,
    titleSuffix: "Cover",
  };
}

/** A recipe that cuts an excerpt of `length` s and fades its far end (intro: in, outro: out) over `fade` s. */
export type EndRecipe = Recipe & { length: number; fade: number };

/** An intro: the first `length` s (15-40) with a 2-8 s fade-in, and a short fade-out where the cut falls. */
export function introRecipe(rng: Rng): EndRecipe {
  const length = pick(rng, [15, 20, 25, 30, 35, 40]);
  const fadeIn = pick(rng, [2, 3, 4, 6, 8]);
  return {
    graph: `[0:a]aresample=${RATE},atrim=0:${length},asetpts=PTS-STARTPTS,afade=t=in:d=${fadeIn},afade=t=out:st=${length - 1.5}:d=1.5[out]`,
    description: `first ${length} s, ${fadeIn} s fade-in`,
    titleSuffix: "Intro",
    length,
    fade: fadeIn,
  };
}

/**
 * An outro: the last `length` s (20-45) of a `duration` s source with a fade-out over 40-80 % of it (a 0.3 s
 * fade-in removes the click of the cut).
 */
export function outroRecipe(rng: Rng, duration: number): EndRecipe {
  const length = Math.min(pick(rng, [20, 25, 30, 35, 40, 45]), duration);
  const fadeOut = Math.round(length * pick(rng, [0.4, 0.5, 0.6, 0.8]));
  const start = Math.max(0, duration - length);
  return {
    graph: `[0:a]aresample=${RATE},atrim=start=${start.toFixed(3)},asetpts=PTS-STARTPTS,afade=t=in:d=0.3,afade=t=out:st=${(length - fadeOut).toFixed(3)}:d=${fadeOut}[out]`,
    description: `last ${length} s, ${fadeOut} s fade-out`,
    titleSuffix: "Outro",
    length,
    fade: fadeOut,
  };
}

async function render(source: string, recipe: Recipe, path: string): Promise<void> {
  const partial = `${path}.partial.ogg`;
  try {
    await execFile("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-y", "-i", source, "-filter_complex", recipe.graph, "-map", "[out]", "-ac", "2", "-ar", String(RATE), "-c:a", "libvorbis", "-q:a", "4", partial]);
    await rename(partial, path);
  } finally {
    await rm(partial, { force: true });
  }
}

/** Where a derived track goes: its own derived album (remixes, covers), or before / after its source's album. */
async function placeOf(db: Db, kind: keyof typeof DERIVED_ORIGINS, source: { albumId: number | null; album: { title: string } | null }, coverArtist: string): Promise<{ albumId: number; position: number }> {
  if (kind === "INTRO" || kind === "OUTRO") {
    const { _min, _max } = await db.track.aggregate({ where: { albumId: source.albumId! }, _min: { position: true }, _max: { position: true } });
    return { albumId: source.albumId!, position: kind === "INTRO" ? (_min.position ?? 1) - 1 : (_max.position ?? 0) + 1 };
  }
  const albumTitle = kind === "REMIX" ? `${source.album?.title ?? "Singles"} (derived remixes)` : `${coverArtist} covers`;
  const album = await db.album.upsert({
    where: { source_title: { source: "derived", title: albumTitle } },
    create: { source: "derived", title: albumTitle },
    update: {},
  });
  return { albumId: album.id, position: (await db.track.count({ where: { albumId: album.id } })) + 1 };
}

/**
 * Makes `remixes` remixes and `covers` covers from real, non-short, non-silent tracks (sources drawn with the
 * seed; each source is used once per kind before any is used again), and `intros` / `outros` from one such track
 * of as many albums (drawn with the seed + 1, so adding them leaves the remixes and covers as they were).
 * Re-running with the same seed finds the same external ids and makes nothing twice.
 */
export async function deriveExamples(db: Db, options: DeriveOptions): Promise<DeriveResult> {
  const rng = new Rng(options.seed ?? 2014);
  const outDir = options.outDir ?? dataPaths.derived();
  await mkdir(outDir, { recursive: true });
  const sources = await db.track.findMany({
    where: { isShort: false, isSilent: false, derivedFromId: null, origin: { notIn: Object.values(DERIVED_ORIGINS) } },
    select: { id: true, externalId: true, title: true, audioPath: true, durationSec: true, artistId: true, albumId: true, album: { select: { title: true } } },
    orderBy: { id: "asc" },
  });
  if (sources.length === 0) throw new Error("no real, non-short track to derive from: ingest a catalogue first");
  const plan: { kind: keyof typeof DERIVED_ORIGINS; source: (typeof sources)[number]; n: number }[] = [];
  for (const [kind, count] of [["REMIX", options.remixes], ["COVER", options.covers]] as const) {
    const order = rng.shuffle([...sources]);
    for (let n = 0; n < count; n++) plan.push({ kind, source: order[n % order.length]!, n: Math.floor(n / order.length) });
  }
  const endsRng = new Rng((options.seed ?? 2014) + 1);
  const byAlbum = new Map<number, (typeof sources)[number][]>();
  for (const s of sources) if (s.albumId !== null) (byAlbum.get(s.albumId) ?? byAlbum.set(s.albumId, []).get(s.albumId)!).push(s);
  for (const [kind, count] of [["INTRO", options.intros ?? 0], ["OUTRO", options.outros ?? 0]] as const) {
    const albums = endsRng.shuffle([...byAlbum.keys()]).slice(0, count);
    for (const albumId of albums) plan.push({ kind, source: pick(endsRng, byAlbum.get(albumId)!), n: 0 });
  }
  const result: DeriveResult = { created: 0, existing: 0, failed: 0 };
  for (const [done, { kind, source, n }] of plan.entries()) {
    const ends = kind === "INTRO" || kind === "OUTRO";
    const draw = ends ? endsRng : rng;
    const recipe =
      kind === "REMIX" ? remixRecipe(draw, source.durationSec)
      : kind === "COVER" ? coverRecipe(draw)
      : kind === "INTRO" ? introRecipe(draw)
      : outroRecipe(draw, source.durationSec);
    // Half the remixes and a quarter of the covers, intros and outros say so in the title, as in real catalogues.
    const marked = draw.next() < (kind === "REMIX" ? 0.5 : 0.25);
    const coverArtist = pick(draw, COVER_ARTISTS);
    const externalId = `derived/${kind.toLowerCase()}/${n}/${source.externalId}`;
    await options.onProgress?.(done, plan.length, externalId);
    if (await db.track.findUnique({ where: { externalId }, select: { id: true } })) {
      result.existing++;
      continue;
    }
    // Named by what is rendered, so databases sharing the folder never overwrite each other's files.
    const path = join(outDir, `${createHash("sha256").update(`${source.audioPath}\n${recipe.graph}`).digest("hex").slice(0, 24)}.ogg`);
    try {
      await render(source.audioPath, recipe, path);
      const facts = await describeAudio(path);
      const artistId = kind === "COVER" ? (await db.artist.upsert({ where: { name: coverArtist }, create: { name: coverArtist }, update: {} })).id : source.artistId;
      const { albumId, position } = await placeOf(db, kind, source, coverArtist);
      await db.track.create({
        data: {
          externalId,
          title: marked ? `${source.title} (${recipe.titleSuffix})` : source.title,
          artistId,
          albumId,
          position,
          ...audioColumns(facts),
          audioPath: path,
          origin: DERIVED_ORIGINS[kind],
          derivedFromId: source.id,
        },
      });
      result.created++;
    } catch (error) {
      result.failed++;
      await options.onBad?.(`${externalId} (${recipe.description})`, (error as Error).message);
    }
  }
  await options.onProgress?.(plan.length, plan.length, "done");
  return result;
}
