// The outlier signals' per-track features that the log-mel cache does not hold (chroma, loudness envelope): each is
// read from the feature cache under its own mode and parameter hash, or computed from the audio once and cached.
import { availableParallelism } from "node:os";
import PQueue from "p-queue";

import { cachePath, readCachedMatrix, writeCachedMatrix, type CachedMatrix } from "../features/cache.js";

export interface CachedTrack {
  id: number;
  audioPath: string;
  contentHash: string;
  durationSec: number;
}

export interface TrackFeature {
  /** Cache mode name, e.g. "chroma": one file per track, mode and parameter hash. */
  mode: string;
  paramsHash: string;
  /** Values per row of the cached matrix. */
  cols: number;
  compute(track: CachedTrack): Promise<CachedMatrix>;
}

/**
 * Track id → the feature's values (rows × cols, row-major), from the cache or computed (and cached) now, on as many
 * tracks at once as there are cores. A track that fails is handed to `onBad` and left out.
 */
export async function loadTrackFeature(
  tracks: readonly CachedTrack[],
  feature: TrackFeature,
  onBad: (item: string, reason: string) => Promise<void>,
  cacheDir: string,
): Promise<Map<number, Float32Array>> {
  const out = new Map<number, Float32Array>();
  const queue = new PQueue({ concurrency: availableParallelism() });
  for (const track of tracks) {
    void queue.add(async () => {
      const path = cachePath(cacheDir, track.contentHash, feature.mode, feature.paramsHash);
      try {
        const matrix = (await readCachedMatrix(path, feature.cols)) ?? (await computeAndCache(track, feature, path));
        out.set(track.id, matrix.data);
      } catch (error) {
        await onBad(`track ${track.id} (${track.audioPath})`, `${feature.mode}: ${(error as Error).message}`);
      }
    });
  }
  await queue.onIdle();
  return out;
}

async function computeAndCache(track: CachedTrack, feature: TrackFeature, path: string): Promise<CachedMatrix> {
  const matrix = await feature.compute(track);
  await writeCachedMatrix(path, matrix);
  return matrix;
}
