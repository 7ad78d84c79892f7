// Each track's chroma of the middle excerpt (the same samples as its cached log-mel), for cover matching. The
// features stage caches it beside the log-mel; a track whose log-mel came before that (or was adopted from an older
// cache) has its excerpt decoded again once here.
import { CHROMA_DEFAULTS } from "../features/chroma.js";
import { decodeExcerpt } from "../features/decode.js";
import { CHROMA_MODE, CHROMA_PARAMS_HASH, defaultCacheDir, excerptChroma } from "../features/stage.js";
import { loadTrackFeature, type CachedTrack, type TrackFeature } from "./track-cache.js";

const CHROMA: TrackFeature = {
  mode: CHROMA_MODE,
  paramsHash: CHROMA_PARAMS_HASH,
  cols: CHROMA_DEFAULTS.nChroma,
  async compute(track) {
    const audio = await decodeExcerpt(track.audioPath, { probe: { durationSeconds: track.durationSec } });
    return excerptChroma(audio.samples);
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
