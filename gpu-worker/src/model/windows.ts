// Time windows over a track's log-mel frames (row-major: frame after frame, melBins values each). The network
// always sees windows of its `cropFrames`: its global L2 pooling grows with the number of frames, so training
// crops, centre excerpts and whole-track windows must all have the same length.

/** Number of frames in a track; refuses data that is not whole frames or shorter than one window. */
export function trackFrames(track: Float32Array, melBins: number, window: number, trackIndex: number): number {
  if (track.length % melBins !== 0) {
    throw new Error(`track ${trackIndex}: ${track.length} values is not a whole number of ${melBins}-bin frames`);
  }
  const frames = track.length / melBins;
  if (frames < window) throw new Error(`track ${trackIndex}: ${frames} frames, shorter than the ${window}-frame window`);
  return frames;
}

export function centreStart(frames: number, window: number): number {
  return Math.floor((frames - window) / 2);
}

/**
 * Starts of consecutive, non-overlapping windows covering the track; the frames left over are split between
 * both ends so that the windows stay centred, as the middle of a track is its most typical part.
 */
export function consecutiveStarts(frames: number, window: number): number[] {
  const count = Math.floor(frames / window);
  const first = Math.floor((frames - count * window) / 2);
  return Array.from({ length: count }, (_, i) => first + i * window);
}

/** Window `i` of the batch is `window` frames of `tracks[i]` from `starts[i]`: a [batch, window, melBins] block. */
export function windowBatch(tracks: readonly Float32Array[], starts: readonly number[], melBins: number, window: number): Float32Array {
  const size = window * melBins;
  const batch = new Float32Array(tracks.length * size);
  tracks.forEach((track, i) => batch.set(track.subarray(starts[i]! * melBins, starts[i]! * melBins + size), i * size));
  return batch;
}
