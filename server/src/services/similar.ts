// Similar tracks for one query track: nearest neighbours in CF space, predicted-audio space, or a blend.
import type { Db } from "@curator/db/client.js";
import type { IndexRegistry } from "../index/registry.js";
import { rowOf, type VectorSpace } from "../index/space.js";
import { blendHybrid } from "../similarity/hybrid.js";
import { hasFilters, passesFilters, type SimilarFilters, type TrackMeta } from "../similarity/filters.js";
import { topK } from "../similarity/top-k.js";
import { dot } from "../similarity/vectors.js";
import { failedPrecondition, notFound } from "../errors.js";
import { predictedKind } from "@curator/db/factor-sets.js";
import { requireRow, requireSpace, searchSpace, type AudioMode } from "./spaces.js";

export type SimilaritySpace = "CF" | "AUDIO" | "HYBRID";

export const DEFAULT_HYBRID_WEIGHT = 0.5;

/**
 * Filters are applied after the search, so the search over-fetches; it grows by this factor while too few
 * candidates pass, up to MAX_CANDIDATES, beyond which a filter this strict returns what it found.
 */
const FILTER_OVERFETCH = 4;
const MAX_CANDIDATES = 20_000;

export interface SimilarOptions {
  k: number;
  space: SimilaritySpace;
  /** w in w·cos_CF + (1 − w)·cos_audio (HYBRID only). */
  hybridWeight?: number;
  /** Which predicted factors are "audio": from the middle excerpt (default) or the whole track. */
  audioMode?: AudioMode;
  filters?: SimilarFilters;
}

export interface ScoredTrack {
  trackId: number;
  score: number;
}

const META = { id: true, artistId: true, albumId: true, durationSec: true } as const;

interface Side {
  space: VectorSpace;
  /** The query track's row, or undefined (a cold track has no CF row). */
  row: number | undefined;
}

/**
 * The query track first (score 1, as in the post's playlists), then up to k neighbours by cosine, best first.
 * Candidates come from the FAISS indexes; scores are recomputed exactly on the stored unit vectors, which also
 * puts HYBRID candidates from both indexes on one scale. The query is a track id, or the track's row when the
 * caller has read it already (the `similar` field of a loaded track), which saves reading it again.
 */
export async function similarTracks(db: Db, registry: IndexRegistry, track: number | TrackMeta, options: SimilarOptions): Promise<ScoredTrack[]> {
  const query = typeof track === "number" ? await db.track.findUnique({ where: { id: track }, select: META }) : track;
  if (!query) throw notFound(`track ${String(track)} not found`);
  const trackId = query.id;
  const { cf, audio } = await sides(registry, trackId, options);
  const filters = options.filters ?? {};
  const filtering = hasFilters(filters);
  const limit = Math.max(cf?.space.index.ntotal ?? 0, audio?.space.index.ntotal ?? 0);
  // Missing tracks are in the index (their file may come back) but never in a result: fetched past, then dropped.
  const missing = await registry.missing.get();
  for (let fetch = (filtering ? FILTER_OVERFETCH * options.k : options.k) + missing.size; ; fetch *= FILTER_OVERFETCH) {
    const ranked = await rankCandidates(trackId, cf, audio, Math.min(fetch, limit), options.hybridWeight ?? DEFAULT_HYBRID_WEIGHT, missing);
    const kept = filtering ? await applyFilters(db, query, ranked, filters) : ranked;
    if (kept.length >= options.k || fetch >= limit || fetch >= MAX_CANDIDATES) {
      return [{ trackId, score: 1 }, ...kept.slice(0, options.k)];
    }
  }
}

async function sides(registry: IndexRegistry, trackId: number, options: SimilarOptions): Promise<{ cf?: Side; audio?: Side }> {
  const audioKind = predictedKind(options.audioMode ?? "MIDDLE");
  if (options.space === "CF") {
    const space = await requireSpace(registry, "CF");
    return { cf: { space, row: requireRow(space, trackId) } };
  }
  if (options.space === "AUDIO") {
    const space = await requireSpace(registry, audioKind);
    return { audio: { space, row: requireRow(space, trackId) } };
  }
  const [cfSpace, audioSpace] = await Promise.all([requireSpace(registry, "CF"), requireSpace(registry, audioKind)]);
  const cf = { space: cfSpace, row: rowOf(cfSpace, trackId) };
  const audio = { space: audioSpace, row: rowOf(audioSpace, trackId) };
  if (cf.row === undefined && audio.row === undefined) {
    throw failedPrecondition(`track ${trackId} has neither CF nor ${audioKind} factors`);
  }
  return { cf, audio };
}

/** The union of both sides' `fetch` nearest (the query itself and missing tracks left out), ranked by (blended) cosine. */
async function rankCandidates(
  trackId: number,
  cf: Side | undefined,
  audio: Side | undefined,
  fetch: number,
  weight: number,
  missing: ReadonlySet<number>,
): Promise<ScoredTrack[]> {
  const ids = new Set<number>();
  for (const side of [cf, audio]) {
    if (!side || side.row === undefined) continue;
    const { space, row } = side;
    // One more than asked: the query is normally its own nearest neighbour.
    const k = Math.min(fetch + 1, space.index.ntotal);
    if (k === 0) continue;
    const found = await searchSpace(space, space.unit.subarray(row * space.dims, (row + 1) * space.dims), k);
    for (const id of found.ids) if (id >= 0 && id !== trackId && !missing.has(id)) ids.add(id);
  }
  const candidates = [...ids];
  const cfCos = cosines(cf, candidates);
  const audioCos = cosines(audio, candidates);
  const scores = cf && audio ? blendHybrid(cfCos, audioCos, weight) : (cf ? cfCos : audioCos);
  return Array.from(topK(scores, candidates.length), (p) => ({ trackId: candidates[p]!, score: scores[p]! }));
}

/** Cosine of the query to each candidate in one space; NaN where either has no vector there. */
function cosines(side: Side | undefined, candidates: number[]): Float64Array {
  const out = new Float64Array(candidates.length).fill(NaN);
  if (!side || side.row === undefined) return out;
  const { space, row } = side;
  candidates.forEach((id, i) => {
    const r = rowOf(space, id);
    if (r !== undefined) out[i] = dot(space.unit, row * space.dims, space.unit, r * space.dims, space.dims);
  });
  return out;
}

async function applyFilters(db: Db, query: TrackMeta, ranked: ScoredTrack[], filters: SimilarFilters): Promise<ScoredTrack[]> {
  const metas = await db.track.findMany({ where: { id: { in: ranked.map((r) => r.trackId) } }, select: META });
  const byId = new Map(metas.map((m) => [m.id, m]));
  return ranked.filter((r) => {
    const meta = byId.get(r.trackId);
    return meta !== undefined && passesFilters(query, meta, filters);
  });
}
