// What the units respond to (the post's "what the filters learn"): per track, each first-layer filter's max and
// mean over time and each last-hidden-layer unit's activation, plus rankings of tracks per unit.
import type { LayersModel, Tensor } from "@tensorflow/tfjs";

import { LAYER_NAMES, probeModel, type ModelOptions, type Tf } from "./architecture.js";
import { centreWindows, forwardWindows, type PredictOptions } from "./predict.js";

export interface TrackActivations {
  tracks: number;
  filters: number;
  hiddenUnits: number;
  /** tracks × filters: each first-layer filter's maximum over time (after ReLU), on the centre excerpt. */
  convMax: Float32Array;
  /** tracks × filters: its mean over time. */
  convMean: Float32Array;
  /** tracks × hiddenUnits: the last hidden dense layer (after ReLU, before dropout). */
  hidden: Float32Array;
}

export async function trackActivations(
  tf: Tf,
  model: LayersModel,
  options: ModelOptions,
  tracks: readonly Float32Array[],
  { batchSize = 32 }: PredictOptions = {},
): Promise<TrackActivations> {
  const probes = probeModel(tf, model, options);
  const filters = options.convFilters[0]!;
  const hiddenUnits = (probes.outputs[1]!.shape[1] as number);
  // One row per track: [max per filter | mean per filter | hidden units], so each batch needs one transfer.
  const rows = await forwardWindows(tf, centreWindows(tracks, options), options.cropFrames, options.melBins, batchSize, (x) => {
    const [conv, hidden] = probes.predict(x) as Tensor[];
    return tf.concat([tf.max(conv!, 1), tf.mean(conv!, 1), hidden!], 1);
  });
  const width = 2 * filters + hiddenUnits;
  const convMax = new Float32Array(tracks.length * filters);
  const convMean = new Float32Array(tracks.length * filters);
  const hidden = new Float32Array(tracks.length * hiddenUnits);
  for (let t = 0; t < tracks.length; t++) {
    const row = rows.subarray(t * width, (t + 1) * width);
    convMax.set(row.subarray(0, filters), t * filters);
    convMean.set(row.subarray(filters, 2 * filters), t * filters);
    hidden.set(row.subarray(2 * filters), t * hiddenUnits);
  }
  return { tracks: tracks.length, filters, hiddenUnits, convMax, convMean, hidden };
}

export type ActivationMode = "max" | "mean" | "hidden";

export interface UnitRanking {
  /** Filter index for "max"/"mean", hidden unit index for "hidden". */
  filter: number;
  mode: ActivationMode;
  ranked: { trackIndex: number; value: number }[];
}

/** The `n` tracks with the highest value of column `unit` in a tracks × units matrix; ties by track index. */
export function topTracks(values: Float32Array, units: number, unit: number, n: number): { trackIndex: number; value: number }[] {
  if (units < 1 || values.length % units !== 0) throw new Error(`${values.length} values are not rows of ${units} units`);
  if (!Number.isInteger(unit) || unit < 0 || unit >= units) throw new RangeError(`unit ${unit} is outside 0..${units - 1}`);
  const tracks = values.length / units;
  return Array.from({ length: tracks }, (_, trackIndex) => ({ trackIndex, value: values[trackIndex * units + unit]! }))
    .sort((a, b) => b.value - a.value || a.trackIndex - b.trackIndex)
    .slice(0, n);
}

/** Top-n tracks for every filter (max or mean mode) or every hidden unit. */
export function rankUnits(activations: TrackActivations, mode: ActivationMode, n: number): UnitRanking[] {
  const [values, units] =
    mode === "hidden"
      ? [activations.hidden, activations.hiddenUnits]
      : [mode === "max" ? activations.convMax : activations.convMean, activations.filters];
  return Array.from({ length: units }, (_, filter) => ({ filter, mode, ranked: topTracks(values, units, filter, n) }));
}

/** First-layer filter weights, [kernelWidth, melBins, filters] row-major (tfjs conv1d kernel layout). */
export function firstLayerKernel(model: LayersModel): { values: Float32Array; shape: [number, number, number] } {
  const kernel = model.getLayer(LAYER_NAMES.firstConv).getWeights()[0]!;
  return { values: kernel.dataSync() as Float32Array, shape: kernel.shape as [number, number, number] };
}
