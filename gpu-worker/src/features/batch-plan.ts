export interface BatchLimits {
  /** Decoder processes running at once: batches are sized so each gets a share of a short list. */
  workers: number;
  /**
   * Files per batch (per ffmpeg process). Default 16: a start (≈ 80 CPU-ms) is then ≈ 5 ms of a 28 s excerpt's
   * ≈ 35 (at 8: ≈ 10 ms, bench mel 56 → 50 CPU-ms per clip); at 32 the run costs more per file than at 16.
   */
  maxFiles?: number;
  /**
   * Seconds of audio decoded whole per batch. Default 1800: a batch holds every whole track it decodes at once,
   * ≈ 0.7 GiB per hour of audio at the peak (bad-input's two-hour file: 1.5 GiB resident), so half an hour keeps a
   * batch near 350 MiB, ≈ 7 four-minute tracks; a longer track is a batch of its own, as it would be decoded alone.
   */
  maxWholeSeconds?: number;
}

/**
 * Splits `items` in order into batches for decodeBatch: at most `maxFiles` each and at most `maxWholeSeconds` of
 * whole-track audio (from `wholeSeconds`, 0 for an item that needs no whole track), and no more than an even share
 * per worker, so a short list still keeps every worker busy.
 */
export function planBatches<T>(items: readonly T[], wholeSeconds: (item: T) => number, limits: BatchLimits): T[][] {
  const { workers, maxFiles = 16, maxWholeSeconds = 1800 } = limits;
  const size = Math.max(1, Math.min(maxFiles, Math.ceil(items.length / Math.max(1, workers))));
  const batches: T[][] = [];
  let current: T[] = [];
  let seconds = 0;
  for (const item of items) {
    const s = wholeSeconds(item);
    if (current.length > 0 && (current.length >= size || seconds + s > maxWholeSeconds)) {
      batches.push(current);
      current = [];
      seconds = 0;
    }
    current.push(item);
    seconds += s;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
