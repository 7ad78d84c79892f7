// The signal matrix: one row per track, one column per signal, built from plain arrays (no database), so the
// stage and the evaluation compute exactly the same inputs for the model.
import { SHORT_TRACK_SEC } from "../ingest/types.js";
import { albumPlace, logDuration, TITLE_CUES, titleCueMatch, type TitleCue, type TitleCueMatch } from "./metadata-signals.js";
import type { AudioSignals } from "./audio-signals.js";
import type { EnvelopeSignals } from "./envelope.js";
import { nearestEarlierChroma, type ChromaNeighbour, type ChromaSummary } from "./chroma-match.js";
import { nearestEarlier, neighbourAgreement } from "./neighbours.js";
import { median, robustDeviation } from "./robust.js";

export interface TrackFacts {
  id: number;
  title: string;
  artistId: number;
  artistName: string;
  albumId: number | null;
  position: number | null;
  durationSec: number;
  /** The ingest's short-track flag (under SHORT_TRACK_SEC by the decoder's exact length): the labels' own test. */
  isShort: boolean;
}

/** A set of unit vectors for some of the tracks: `rowOf` maps a track index to its row. */
export interface UnitSpace {
  unit: Float32Array;
  dims: number;
  rowOf: ReadonlyMap<number, number>;
  /** What the vectors are, for reasons ("predicted audio factors"). */
  label: string;
}

export interface SignalInputs {
  tracks: readonly TrackFacts[];
  /** Per track, from its log-mel excerpt; undefined without cached features. */
  audio: readonly (AudioSignals | undefined)[];
  /** Per track, how it begins and ends (envelope.ts); undefined without a decoded envelope. */
  envelope?: readonly (EnvelopeSignals | undefined)[];
  /** Predicted factors (or the audio embedding when there are none): atypicality within artist and album. */
  audioSpace: UnitSpace;
  /** Convnet dense-layer (or log-mel statistics) embedding: near-duplicates. */
  embedding: UnitSpace;
  /** Per track, its chroma summary (chromaSummary); undefined without one. */
  chroma?: readonly (ChromaSummary | undefined)[];
  /** Earlier tracks whose chroma is aligned in full with a track's, per kind (the rest are ruled out by profile). Default 16. */
  chromaCandidates?: number;
  /** CF factors of the tracks with listens. */
  cf?: UnitSpace;
  /** Neighbours compared between CF and audio. Default 10. */
  agreementK?: number;
}

export interface TrackContext {
  titleCues: Record<TitleCue, TitleCueMatch>;
  /** "‘Title’ by Artist" of the nearest earlier near-duplicate by another artist / the same artist. */
  coverPartner?: string;
  remixPartner?: string;
  /** The best chroma alignment to an earlier track by another artist / the same artist, in words. */
  coverChroma?: string;
  remixChroma?: string;
  audioLabel: string;
}

interface SignalDef {
  key: string;
  /** The fact in words, for a reason; the value is the raw (unstandardised) signal. */
  describe(value: number, context: TrackContext): string;
}

const fixed = (v: number, digits = 1) => v.toFixed(digits);
const percent = (v: number) => `${Math.round(100 * v)}%`;

/** The columns of the signal matrix, in order. */
export const SIGNALS: readonly SignalDef[] = [
  { key: "artistDeviation", describe: (v, c) => `${c.audioLabel} ${fixed(v)} robust deviations from the artist's centroid` },
  { key: "albumDeviation", describe: (v, c) => `${c.audioLabel} ${fixed(v)} robust deviations from the album's centroid` },
  { key: "logDuration", describe: (v) => `${Math.round(Math.exp(v))} s long` },
  { key: "firstOnAlbum", describe: (v) => (v > 0.5 ? "first on album" : "not first on album") },
  { key: "lastOnAlbum", describe: (v) => (v > 0.5 ? "last on album" : "not last on album") },
  { key: "albumPosition", describe: (v) => `at ${percent(v)} of the album's running order` },
  // A short track (the ingest's own limit) at the album's edge is what an intro or outro is; a linear model cannot
  // form that product itself, and without it a long album opener and a short track between pull the same weights.
  { key: "shortOpener", describe: (v) => (v > 0.5 ? `under ${SHORT_TRACK_SEC} s and first on album` : "not a short album opener") },
  { key: "shortCloser", describe: (v) => (v > 0.5 ? `under ${SHORT_TRACK_SEC} s and last on album` : "not a short album closer") },
  // The third place a short track can take: between the edges, where a stinger sits; without it a short track
  // pulls the same weights at an edge and between, and the intro, outro and interlude models cannot tell them apart.
  { key: "shortBetween", describe: (v) => (v > 0.5 ? `under ${SHORT_TRACK_SEC} s and neither first nor last on album` : "not a short track between others") },
  { key: "meanEnergyDb", describe: (v) => `mean energy ${fixed(v)} dB` },
  { key: "energySpreadDb", describe: (v) => `energy varies by ${fixed(v)} dB` },
  { key: "silentFraction", describe: (v) => `${percent(v)} near-silent frames` },
  { key: "flatness", describe: (v) => `spectral flatness ${fixed(v, 2)} (noise/speech-like when high)` },
  { key: "centroidSpread", describe: (v) => `spectral centroid varies by ${fixed(v, 3)} of the mel range (speech-like when high)` },
  { key: "onsetRate", describe: (v) => `${fixed(v)} onsets per second` },
  { key: "fadeInSeconds", describe: (v) => `fades in over ${fixed(v)} s` },
  { key: "fadeOutSeconds", describe: (v) => `fades out over ${fixed(v)} s` },
  { key: "headSlopeDb", describe: (v) => `level ${v >= 0 ? "rises" : "falls"} ${fixed(Math.abs(v), 2)} dB/s over its opening` },
  { key: "tailSlopeDb", describe: (v) => `level ${v >= 0 ? "rises" : "falls"} ${fixed(Math.abs(v), 2)} dB/s over its ending` },
  { key: "cfAudioAgreement", describe: (v) => `${percent(v)} of its CF neighbours are also audio neighbours` },
  // Stems and whole words apart: "intro" or "credits" names a role, "theme" or "win" is as common in a song's title.
  ...TITLE_CUES.flatMap((cue) => [
    {
      key: `title:${cue}`,
      describe: (v: number, c: TrackContext) => (v > 0.5 ? `title says “${c.titleCues[cue].stems.join("”, “")}”` : `no ${cue} stem in the title`),
    },
    {
      key: `title:${cue}:word`,
      describe: (v: number, c: TrackContext) => (v > 0.5 ? `title has the word “${c.titleCues[cue].words.join("”, “")}”` : `no ${cue} word in the title`),
    },
  ]),
  { key: "coverSimilarity", describe: (v, c) => `audio ${fixed(v, 2)} cosine to ${c.coverPartner ?? "an earlier track"} (another artist)` },
  { key: "remixSimilarity", describe: (v, c) => `audio ${fixed(v, 2)} cosine to ${c.remixPartner ?? "an earlier track"} (same artist)` },
  { key: "coverChroma", describe: (v, c) => `chroma ${fixed(v, 2)} correlated with ${c.coverChroma ?? "an earlier track"} (another artist)` },
  { key: "remixChroma", describe: (v, c) => `chroma ${fixed(v, 2)} correlated with ${c.remixChroma ?? "an earlier track"} (same artist)` },
];

export const SIGNAL_KEYS = SIGNALS.map((s) => s.key);

/** The chroma cover-matching signals (chroma-match.ts). */
export const CHROMA_SIGNALS = ["coverChroma", "remixChroma"] as const;

/** The title-word signals: held constant, they show what the models find without reading "intro" back. */
export const TITLE_SIGNALS = TITLE_CUES.flatMap((cue) => [`title:${cue}`, `title:${cue}:word`]);

/** Everything the catalogue says rather than the audio: title words and album place. */
export const METADATA_SIGNALS = [...TITLE_SIGNALS, "firstOnAlbum", "lastOnAlbum", "albumPosition", "shortOpener", "shortCloser", "shortBetween"];

export interface SignalMatrix {
  /** tracks × SIGNALS.length, row-major; missing values replaced by their column's median. */
  values: Float64Array;
  /** 1 where the value was missing (imputed): such a value says nothing about the track and gives no reason. */
  missing: Uint8Array;
  contexts: TrackContext[];
}

function groupsBy(tracks: readonly TrackFacts[], key: (t: TrackFacts) => number | null): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  tracks.forEach((t, i) => {
    const k = key(t);
    if (k !== null) (groups.get(k) ?? groups.set(k, []).get(k)!).push(i);
  });
  return groups;
}

/** Robust deviation of track i within its group, in the rows of `space` (tracks without a row are left out). */
function deviationIn(space: UnitSpace, group: readonly number[] | undefined, i: number): number {
  const row = space.rowOf.get(i);
  if (row === undefined || !group) return NaN;
  const rows = group.flatMap((g) => {
    const r = space.rowOf.get(g);
    return r === undefined ? [] : [r];
  });
  return robustDeviation(space.unit, space.dims, row, rows);
}

/** CF/audio neighbour agreement for every track with both vectors (NaN otherwise). */
function agreements(input: SignalInputs, k: number): Float64Array {
  const out = new Float64Array(input.tracks.length).fill(NaN);
  const { cf, audioSpace } = input;
  if (!cf) return out;
  const both = input.tracks.map((_, i) => i).filter((i) => cf.rowOf.has(i) && audioSpace.rowOf.has(i));
  const gather = (space: UnitSpace) => {
    const m = new Float32Array(both.length * space.dims);
    both.forEach((i, r) => {
      const row = space.rowOf.get(i)!;
      m.set(space.unit.subarray(row * space.dims, (row + 1) * space.dims), r * space.dims);
    });
    return m;
  };
  const a = gather(cf);
  const b = gather(audioSpace);
  both.forEach((i, r) => (out[i] = neighbourAgreement(a, cf.dims, b, audioSpace.dims, r, k)));
  return out;
}

/**
 * A copy with the columns `keys` held constant (and marked missing): the same as leaving those signals out, for
 * ablations, because a constant column standardises to 0 and its L2-penalised weight stays 0.
 */
export function withoutSignals(matrix: SignalMatrix, keys: readonly string[]): SignalMatrix {
  const d = SIGNALS.length;
  const columns = keys.map((key) => {
    const j = SIGNAL_KEYS.indexOf(key);
    if (j < 0) throw new RangeError(`withoutSignals: no signal ${key}`);
    return j;
  });
  const values = Float64Array.from(matrix.values);
  const missing = Uint8Array.from(matrix.missing);
  for (let i = 0; i < values.length / d; i++) {
    for (const j of columns) {
      values[i * d + j] = 0;
      missing[i * d + j] = 1;
    }
  }
  return { values, missing, contexts: matrix.contexts };
}

/** "‘Title’ by Artist transposed +3 semitones at tempo ×1.06": the partner and how the track differs from it. */
function describeMatch(match: ChromaNeighbour, partner: string): string {
  // shift is how far the partner sits above the track; ratio how many of the partner's blocks one of the track's spans.
  const semitones = match.shift > 6 ? 12 - match.shift : -match.shift;
  const transposed = semitones === 0 ? "in the same key" : `transposed ${semitones > 0 ? "+" : ""}${semitones} semitones`;
  return `${partner} ${transposed} at tempo ×${match.ratio.toFixed(2)}`;
}

/** Replaces NaN by the column median (of the present values) and marks it missing. */
export function imputeMedians(values: Float64Array, d: number): Uint8Array {
  const n = values.length / d;
  const missing = new Uint8Array(values.length);
  for (let j = 0; j < d; j++) {
    const column = Float64Array.from({ length: n }, (_, i) => values[i * d + j]!);
    const fill = median(column);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(values[i * d + j]!)) {
        values[i * d + j] = Number.isFinite(fill) ? fill : 0;
        missing[i * d + j] = 1;
      }
    }
  }
  return missing;
}

/**
 * Every signal of every track. Catalogue order (track id) stands in for release order in the near-duplicate
 * signals: a track is compared with earlier ones only, so of an original and its remix only the remix scores.
 */
export function buildSignals(input: SignalInputs): SignalMatrix {
  const { tracks } = input;
  const d = SIGNALS.length;
  const values = new Float64Array(tracks.length * d).fill(NaN);
  const byArtist = groupsBy(tracks, (t) => t.artistId);
  const byAlbum = groupsBy(tracks, (t) => t.albumId);
  const agreement = agreements(input, input.agreementK ?? 10);
  // Near-duplicates are searched over tracks in track order; one without an embedding is never "earlier".
  const embeddingRows = Int32Array.from(tracks, (_, i) => input.embedding.rowOf.get(i) ?? -1);
  const dims = input.embedding.dims;
  const rowUnit = new Float32Array(tracks.length * dims);
  const order = Float64Array.from(tracks, (t, j) => (embeddingRows[j]! >= 0 ? t.id : Infinity));
  embeddingRows.forEach((r, j) => r >= 0 && rowUnit.set(input.embedding.unit.subarray(r * dims, (r + 1) * dims), j * dims));
  const chromaOrder = Float64Array.from(tracks, (t) => t.id);
  const label = (i: number) => `‘${tracks[i]!.title}’ by ${tracks[i]!.artistName}`;

  const contexts = tracks.map((t, i) => {
    const row = values.subarray(i * d, (i + 1) * d);
    const place = albumPlace(t.position, t.albumId === null ? [] : byAlbum.get(t.albumId)!.map((j) => tracks[j]!.position).filter((p): p is number => p !== null));
    const a = input.audio[i];
    const titleCues = Object.fromEntries(TITLE_CUES.map((cue) => [cue, titleCueMatch(t.title, cue)])) as Record<TitleCue, TitleCueMatch>;
    const context: TrackContext = { titleCues, audioLabel: input.audioSpace.label };
    const short = t.isShort ? 1 : 0;
    const own = [
      deviationIn(input.audioSpace, byArtist.get(t.artistId), i),
      deviationIn(input.audioSpace, t.albumId === null ? undefined : byAlbum.get(t.albumId), i),
      logDuration(t.durationSec),
      place.first,
      place.last,
      place.relative,
      place.first * short,
      place.last * short,
      (1 - place.first) * (1 - place.last) * short,
      a?.meanEnergyDb ?? NaN,
      a?.energySpreadDb ?? NaN,
      a?.silentFraction ?? NaN,
      a?.flatness ?? NaN,
      a?.centroidSpread ?? NaN,
      a?.onsetRate ?? NaN,
      ...(["fadeInSeconds", "fadeOutSeconds", "headSlopeDb", "tailSlopeDb"] as const).map((key) => input.envelope?.[i]?.[key] ?? NaN),
      agreement[i]!,
      ...TITLE_CUES.flatMap((cue) => [titleCues[cue].stems.length > 0 ? 1 : 0, titleCues[cue].words.length > 0 ? 1 : 0]),
    ];
    row.set(own);
    const column = (key: string) => SIGNAL_KEYS.indexOf(key);
    if (embeddingRows[i]! >= 0) {
      const cover = nearestEarlier(rowUnit, dims, i, order, (j) => tracks[j]!.artistId !== t.artistId);
      const remix = nearestEarlier(rowUnit, dims, i, order, (j) => tracks[j]!.artistId === t.artistId);
      if (cover.partner >= 0) {
        row[column("coverSimilarity")] = cover.cosine;
        context.coverPartner = label(cover.partner);
      }
      if (remix.partner >= 0) {
        row[column("remixSimilarity")] = remix.cosine;
        context.remixPartner = label(remix.partner);
      }
    }
    if (input.chroma) {
      const chroma = input.chroma;
      const candidates = input.chromaCandidates ?? 16;
      const cover = nearestEarlierChroma(chroma, i, chromaOrder, (j) => tracks[j]!.artistId !== t.artistId, candidates);
      const remix = nearestEarlierChroma(chroma, i, chromaOrder, (j) => tracks[j]!.artistId === t.artistId, candidates);
      row[column("coverChroma")] = cover.similarity;
      row[column("remixChroma")] = remix.similarity;
      if (cover.partner >= 0) context.coverChroma = describeMatch(cover, label(cover.partner));
      if (remix.partner >= 0) context.remixChroma = describeMatch(remix, label(remix.partner));
    }
    return context;
  });
  const missing = imputeMedians(values, d);
  return { values, missing, contexts };
}
