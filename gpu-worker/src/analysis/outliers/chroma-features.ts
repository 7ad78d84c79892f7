// Each track's chroma of the middle excerpt (the same samples as its cached log-mel), for cover matching. The
// feature cache holds log-mel only and chroma needs the linear-frequency spectrum, so the excerpt is decoded
// again once and its chroma cached beside the log-mel under its own mode and parameter hash.
import { availableParallelism } from "node:os";
import PQueue from "p-queue";

import { cachePath, hashParams, readCachedMatrix, writeCachedMatrix } from "../../features/cache.js";
import { CHROMA_DEFAULTS, chromaStft } from "../../features/chroma.js";
import { decodeExcerpt } from "../../features/decode.js";
import { defaultCacheDir, FEATURE_PARAMS } from "../../features/stage.js";

export interface ChromaTrack {
  id: number;
  audioPath: string;
  contentHash: string;
  durationSec: number;
}

/** Everything that changes the cached numbers: the excerpt's decode and the chroma front end. */
export const CHROMA_PARAMS_HASH = hashParams({ ...FEATURE_PARAMS, chroma: CHROMA_DEFAULTS });

/**
 * Track id → frames × 12 chroma of its middle excerpt, from the cache or computed (and cached) now. A track that
 * fails to decode is handed to `onBad` and left out.
 */
export async function loadChroma(
  tracks: readonly ChromaTrack[],
  onBad: (item: string, reason: string) => Promise<void>,
  cacheDir = defaultCacheDir(),
): Promise<Map<number, Float32Array>> {
  const out = new Map<number, Float32Array>();
  const queue = new PQueue({ concurrency: availableParallelism() });
  for (const track of tracks) {
    void queue.add(async () => {
      const path = cachePath(cacheDir, track.contentHash, "chroma", CHROMA_PARAMS_HASH);
      try {
        const cached = await readCachedMatrix(path, CHROMA_DEFAULTS.nChroma);
        if (cached) {
          out.set(track.id, cached.data);
          return;
        }
        const audio = await decodeExcerpt(track.audioPath, { probe: { durationSeconds: track.durationSec } });
        const chroma = chromaStft(audio.samples);
        await writeCachedMatrix(path, { data: chroma.data, rows: chroma.nFrames, cols: chroma.nChroma });
        out.set(track.id, chroma.data);
      } catch (error) {
        await onBad(`track ${track.id} (${track.audioPath})`, `chroma: ${(error as Error).message}`);
      }
    });
  }
  await queue.onIdle();
  return out;
}
