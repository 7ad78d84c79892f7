// Each track's chroma of the middle excerpt (the same samples as its cached log-mel), for cover matching. The
// feature cache holds log-mel only and chroma needs the linear-frequency spectrum, so the excerpt is decoded
// again once and its chroma cached beside the log-mel under its own mode and parameter hash.
import { hashParams } from "../../features/cache.js";
import { CHROMA_DEFAULTS, chromaStft } from "../../features/chroma.js";
import { decodeExcerpt } from "../../features/decode.js";
import { defaultCacheDir, FEATURE_PARAMS } from "../../features/stage.js";
import { loadTrackFeature, type CachedTrack, type TrackFeature } from "./track-cache.js";

/** Everything that changes the cached numbers: the excerpt's decode and the chroma front end. */
export const CHROMA_PARAMS_HASH = hashParams({ ...FEATURE_PARAMS, chroma: CHROMA_DEFAULTS });

const CHROMA: TrackFeature = {
  mode: "chroma",
  paramsHash: CHROMA_PARAMS_HASH,
  cols: CHROMA_DEFAULTS.nChroma,
  async compute(track) {
    const audio = await decodeExcerpt(track.audioPath, { probe: { durationSeconds: track.durationSec } });
    const chroma = chromaStft(audio.samples);
    return { data: chroma.data, rows: chroma.nFrames, cols: chroma.nChroma };
  },
};

/**
 * Track id → frames × 12 chroma of its middle excerpt, from the cache or computed (and cached) now. A track that
 * fails to decode is handed to `onBad` and left out.
 */
export function loadChroma(
  tracks: readonly CachedTrack[],
  onBad: (item: string, reason: string) => Promise<void>,
  cacheDir = defaultCacheDir(),
): Promise<Map<number, Float32Array>> {
  return loadTrackFeature(tracks, CHROMA, onBad, cacheDir);
}
