// Each track's loudness envelope over its whole length (for envelope.ts), decoded once at a low sample rate and
// cached beside the log-mel under its own mode and parameter hash: the middle excerpt the features stage caches
// never shows how a track begins or ends.
import { hashParams } from "../features/cache.js";
import { decodeWhole } from "../features/decode.js";
import { defaultCacheDir } from "../features/stage.js";
import { frameLevelsDb } from "./envelope.js";
import { loadTrackFeature, type CachedTrack, type TrackFeature } from "./track-cache.js";

/** Loudness needs no treble: 8 kHz keeps the decode cheap; 50 ms frames resolve a fade, not a note. */
export const ENVELOPE_PARAMS = Object.freeze({ sampleRate: 8000, frameSamples: 400, resampler: "swr" });
export const ENVELOPE_FRAME_RATE = ENVELOPE_PARAMS.sampleRate / ENVELOPE_PARAMS.frameSamples;
export const ENVELOPE_PARAMS_HASH = hashParams(ENVELOPE_PARAMS);

const ENVELOPE: TrackFeature = {
  mode: "envelope",
  paramsHash: ENVELOPE_PARAMS_HASH,
  cols: 1,
  async compute(track) {
    const audio = await decodeWhole(track.audioPath, { sampleRate: ENVELOPE_PARAMS.sampleRate, minSamples: 1, probe: { durationSeconds: track.durationSec } });
    const levels = frameLevelsDb(audio.samples.subarray(0, audio.sourceSamples), ENVELOPE_PARAMS.frameSamples);
    return { data: levels, rows: levels.length, cols: 1 };
  },
};

/**
 * Track id → frame levels in dB over the whole track, from the cache or decoded (and cached) now. A track that
 * fails to decode is handed to `onBad` and left out.
 */
export function loadEnvelopes(
  tracks: readonly CachedTrack[],
  onBad: (item: string, reason: string) => Promise<void>,
  cacheDir = defaultCacheDir(),
): Promise<Map<number, Float32Array>> {
  return loadTrackFeature(tracks, ENVELOPE, onBad, cacheDir);
}
