// Each track's loudness envelope over its whole length (for envelope.ts), decoded once at a low sample rate and
// cached beside the log-mel under its own mode and parameter hash: the middle excerpt the features stage caches
// never shows how a track begins or ends.
import { availableParallelism } from "node:os";
import PQueue from "p-queue";

import { cachePath, hashParams, readCachedMatrix, writeCachedMatrix } from "../../features/cache.js";
import { decodeWhole } from "../../features/decode.js";
import { defaultCacheDir } from "../../features/stage.js";
import { frameLevelsDb } from "./envelope.js";
import type { ChromaTrack } from "./chroma-features.js";

/** Loudness needs no treble: 8 kHz keeps the decode cheap; 50 ms frames resolve a fade, not a note. */
export const ENVELOPE_PARAMS = Object.freeze({ sampleRate: 8000, frameSamples: 400, resampler: "swr" });
export const ENVELOPE_FRAME_RATE = ENVELOPE_PARAMS.sampleRate / ENVELOPE_PARAMS.frameSamples;
export const ENVELOPE_PARAMS_HASH = hashParams(ENVELOPE_PARAMS);

/**
 * Track id → frame levels in dB over the whole track, from the cache or decoded (and cached) now. A track that
 * fails to decode is handed to `onBad` and left out.
 */
export async function loadEnvelopes(
  tracks: readonly ChromaTrack[],
  onBad: (item: string, reason: string) => Promise<void>,
  cacheDir = defaultCacheDir(),
): Promise<Map<number, Float32Array>> {
  const out = new Map<number, Float32Array>();
  const queue = new PQueue({ concurrency: availableParallelism() });
  for (const track of tracks) {
    void queue.add(async () => {
      const path = cachePath(cacheDir, track.contentHash, "envelope", ENVELOPE_PARAMS_HASH);
      try {
        const cached = await readCachedMatrix(path, 1);
        if (cached) {
          out.set(track.id, cached.data);
          return;
        }
        const audio = await decodeWhole(track.audioPath, { sampleRate: ENVELOPE_PARAMS.sampleRate, minSamples: 1, probe: { durationSeconds: track.durationSec } });
        const levels = frameLevelsDb(audio.samples.subarray(0, audio.sourceSamples), ENVELOPE_PARAMS.frameSamples);
        await writeCachedMatrix(path, { data: levels, rows: levels.length, cols: 1 });
        out.set(track.id, levels);
      } catch (error) {
        await onBad(`track ${track.id} (${track.audioPath})`, `envelope: ${(error as Error).message}`);
      }
    });
  }
  await queue.onIdle();
  return out;
}
