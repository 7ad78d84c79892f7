// Predicting CF factors from log-mel frames: the centre excerpt, the whole track (mean over consecutive
// windows), and Monte Carlo dropout (van den Oord et al.'s network has no uncertainty of its own; the spread of
// stochastic passes with dropout on is a cheap confidence per track).
import type { LayersModel, Tensor } from "@tensorflow/tfjs";

import type { ModelOptions, Tf } from "./architecture.js";
import { centreStart, consecutiveStarts, trackFrames, windowBatch } from "./windows.js";

export interface PredictOptions {
  /** Windows per forward pass. Default 32. */
  batchSize?: number;
}

interface Window {
  track: Float32Array;
  start: number;
}

/** Runs `forward` over windows of `frames` frames, batch by batch: windows × (forward's output width). */
export async function forwardWindows(
  tf: Tf,
  windows: readonly Window[],
  frames: number,
  melBins: number,
  batchSize: number,
  forward: (x: Tensor) => Tensor,
): Promise<Float32Array> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const parts: Float32Array[] = [];
  for (let b = 0; b < windows.length; b += batchSize) {
    const batch = windows.slice(b, b + batchSize);
    const data = windowBatch(
      batch.map((w) => w.track),
      batch.map((w) => w.start),
      melBins,
      frames,
    );
    const x = tf.tensor3d(data, [batch.length, frames, melBins]);
    const y = tf.tidy(() => forward(x));
    parts.push((await y.data()) as Float32Array);
    tf.dispose([x, y]);
  }
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function centreWindows(tracks: readonly Float32Array[], options: ModelOptions): Window[] {
  return tracks.map((track, i) => ({
    track,
    start: centreStart(trackFrames(track, options.melBins, options.cropFrames, i), options.cropFrames),
  }));
}

/** Factors of each track's centre excerpt of cropFrames frames: tracks × outputDims, row-major. */
export async function predictExcerpts(
  tf: Tf,
  model: LayersModel,
  options: ModelOptions,
  tracks: readonly Float32Array[],
  { batchSize = 32 }: PredictOptions = {},
): Promise<Float32Array> {
  return forwardWindows(tf, centreWindows(tracks, options), options.cropFrames, options.melBins, batchSize, (x) => model.predict(x) as Tensor);
}

/**
 * Mean factors over consecutive, non-overlapping windows of `windowFrames` (default cropFrames, the length
 * the network was trained on: its L2 pooling grows with the window) covering each track.
 */
export async function predictWholeTracks(
  tf: Tf,
  model: LayersModel,
  options: ModelOptions,
  tracks: readonly Float32Array[],
  { batchSize = 32, windowFrames = options.cropFrames }: PredictOptions & { windowFrames?: number } = {},
): Promise<Float32Array> {
  const windows: Window[] = [];
  const counts = tracks.map((track, i) => {
    const starts = consecutiveStarts(trackFrames(track, options.melBins, windowFrames, i), windowFrames);
    for (const start of starts) windows.push({ track, start });
    return starts.length;
  });
  const perWindow = await forwardWindows(tf, windows, windowFrames, options.melBins, batchSize, (x) => model.predict(x) as Tensor);
  const dims = options.outputDims;
  const out = new Float32Array(tracks.length * dims);
  let w = 0;
  counts.forEach((count, t) => {
    for (let k = 0; k < count; k++, w++) for (let d = 0; d < dims; d++) out[t * dims + d]! += perWindow[w * dims + d]!;
    for (let d = 0; d < dims; d++) out[t * dims + d]! /= count;
  });
  return out;
}

export interface DropoutPrediction {
  /** tracks × outputDims: mean over the passes. */
  mean: Float32Array;
  /** tracks × outputDims: sample standard deviation over the passes. */
  std: Float32Array;
  /** Per track: the mean of its std over dimensions (higher = less confident). */
  spread: Float32Array;
}

/** Monte Carlo dropout on the centre excerpts: `passes` (≥ 2) forward passes with dropout active. */
export async function predictWithDropout(
  tf: Tf,
  model: LayersModel,
  options: ModelOptions,
  tracks: readonly Float32Array[],
  { batchSize = 32, passes = 20 }: PredictOptions & { passes?: number } = {},
): Promise<DropoutPrediction> {
  if (!Number.isInteger(passes) || passes < 2) throw new Error(`MC dropout needs at least 2 passes, got ${passes}`);
  const windows = centreWindows(tracks, options);
  const dims = options.outputDims;
  const sum = new Float64Array(tracks.length * dims);
  const sumSquares = new Float64Array(tracks.length * dims);
  for (let p = 0; p < passes; p++) {
    const y = await forwardWindows(tf, windows, options.cropFrames, options.melBins, batchSize, (x) =>
      model.apply(x, { training: true }) as Tensor,
    );
    for (let i = 0; i < y.length; i++) {
      sum[i]! += y[i]!;
      sumSquares[i]! += y[i]! * y[i]!;
    }
  }
  const mean = new Float32Array(sum.length);
  const std = new Float32Array(sum.length);
  const spread = new Float32Array(tracks.length);
  for (let i = 0; i < sum.length; i++) {
    const m = sum[i]! / passes;
    mean[i] = m;
    std[i] = Math.sqrt(Math.max(0, (sumSquares[i]! - passes * m * m) / (passes - 1)));
    spread[Math.floor(i / dims)]! += std[i]! / dims;
  }
  return { mean, std, spread };
}
