// The content baseline `curator train` fits beside the convnet (model-choice.ts), in two kinds:
// - "timbre-stats" (the default since 2026-12-07): each track's timbre statistics (features/timbre-stats.ts: MFCC
//   and delta mean/sd, mel contrast, flatness, flux), z-scored over the training tracks (PCA whitening on request),
//   ridge onto the unit CF factors. It told unseen albums apart best of the summaries measured in
//   docs/experiments/2026-12-07-audio-features.md.
// - "bag-of-words": the NIPS 2013 paper's baseline, MFCC frames quantised against a k-means vocabulary, each track's
//   word histogram regressed by ridge. `npm run eval -- coldstart` reports it as "MFCC BoW + linear regression".
// Ridge λ by 5-fold cross-validation in both. One definition here serves train and eval, so the shipped baseline
// and the evaluated one are the same model.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

import { LOG_MEL_DEFAULTS } from "../features/logmel.js";
import { mfcc, type Mfcc } from "../features/mfcc.js";
import { bagOfWords, fitVocabulary, type Vocabulary } from "../features/bag-of-words.js";
import { timbreStatistics } from "../features/timbre-stats.js";
import { fitRidge, predictRidge, type RidgeModel } from "./ridge.js";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";

import { Rng } from "../util/random.js";
import { writeFileAtomic } from "../util/atomic-write.js";

/** Which summary of a track the baseline regresses from. */
export type BaselineFeatures = "timbre-stats" | "bag-of-words";

/**
 * Vocabulary size and k-means frame stride (bag-of-words): measured on the Debian corpus in eval/coldstart.ts.
 * features and whiten: timbre statistics z-scored, measured against bag-of-words and against PCA whitening (which
 * told unseen albums apart less well: sounds alike 0.600 against 0.644) in docs/experiments/2026-12-07-audio-features.md.
 */
export const BASELINE_DEFAULTS = { words: 256, stride: 4, nMfcc: 20, features: "timbre-stats" as BaselineFeatures, whiten: false } as const;

/**
 * MFCCs from a cached log-mel excerpt. The cache holds log(1 + c·power) (c = logScale), which inverts exactly to
 * the mel power spectrogram that librosa's MFCC takes.
 */
export function mfccFromLogMel(logMel: Float32Array, nMels = LOG_MEL_DEFAULTS.nMels, nMfcc: number = BASELINE_DEFAULTS.nMfcc): Mfcc {
  const power = Float32Array.from(logMel, (v) => Math.expm1(v) / LOG_MEL_DEFAULTS.logScale);
  return mfcc({ data: power, nFrames: power.length / nMels, nMels }, nMfcc);
}

/** A vocabulary fitted on every `stride`-th frame of the tracks given (k-means costs frames × words). */
export function fitStridedVocabulary(tracks: readonly Mfcc[], words: number, stride: number): Vocabulary {
  const sampled = tracks.map((t) => {
    const frames = Math.ceil(t.nFrames / stride);
    const data = new Float32Array(frames * t.nMfcc);
    for (let f = 0; f < frames; f++) data.set(t.data.subarray(f * stride * t.nMfcc, (f * stride + 1) * t.nMfcc), f * t.nMfcc);
    return { data, nFrames: frames, nMfcc: t.nMfcc };
  });
  return fitVocabulary(sampled, { words, seed: 1, maxIterations: 50 });
}

/** Word histograms of `tracks` (row-major, one row of `vocabulary.words` per track). */
export function histograms(tracks: readonly Mfcc[], vocabulary: Vocabulary): Float32Array {
  const out = new Float32Array(tracks.length * vocabulary.words);
  tracks.forEach((t, i) => out.set(bagOfWords(t, vocabulary), i * vocabulary.words));
  return out;
}

/**
 * Word histograms of every track against a vocabulary fitted on the `fitOn` tracks only (the test tracks must
 * not shape the features).
 */
export function bagOfWordsFeatures(tracks: readonly Mfcc[], fitOn: readonly number[], words: number, stride: number): Float32Array {
  return histograms(tracks, fitStridedVocabulary(fitOn.map((i) => tracks[i]!), words, stride));
}

/** Rows of a row-major matrix. */
export function rowsOf(m: Float32Array, cols: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => out.set(m.subarray(r * cols, (r + 1) * cols), i * cols));
  return out;
}

/** Seeded k-fold assignment of n items. */
export function folds(n: number, k: number, seed: number): number[][] {
  const order = new Rng(seed).shuffle([...Array(n).keys()]);
  return Array.from({ length: k }, (_, f) => order.filter((_, i) => i % k === f));
}

function mse(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s / a.length;
}

export const RIDGE_LAMBDAS = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100] as const;

/** Ridge with λ picked by 5-fold cross-validation on the training rows, refitted on all of them. */
export function fitRidgeCv(x: Float32Array, y: Float32Array, n: number, d: number, k: number): { model: RidgeModel; lambda: number } {
  const parts = folds(n, Math.min(5, n), 5);
  let best = { lambda: RIDGE_LAMBDAS[0] as number, loss: Infinity };
  for (const lambda of RIDGE_LAMBDAS) {
    let loss = 0;
    for (const held of parts) {
      const rest = [...Array(n).keys()].filter((i) => !held.includes(i));
      const model = fitRidge(rowsOf(x, d, rest), rowsOf(y, k, rest), rest.length, d, k, lambda);
      loss += mse(predictRidge(model, rowsOf(x, d, held)), rowsOf(y, k, held)) * held.length;
    }
    if (loss < best.loss) best = { lambda, loss };
  }
  return { model: fitRidge(x, y, n, d, k, best.lambda), lambda: best.lambda };
}

/** Ridge (λ by 5-fold CV) fitted on `x`, `y` and applied to `test`. */
export function ridgeBaseline(x: Float32Array, y: Float32Array, n: number, d: number, k: number, test: Float32Array): { predictions: Float32Array; lambda: number } {
  const { model, lambda } = fitRidgeCv(x, y, n, d, k);
  return { predictions: predictRidge(model, test), lambda };
}

/**
 * Column means and standard deviations of the training tracks' features (z-scoring before ridge and cosine), and
 * optionally a PCA whitening of the z-scored features (d × kept, row-major), fitted on the same tracks.
 */
export interface FeatureScaler {
  mean: Float32Array;
  sd: Float32Array;
  whitening?: { kept: number; projection: Float32Array };
}

/** Share of the z-scored features' variance the whitening keeps, and the floor on each kept eigenvalue (× the largest). */
export const WHITENING = { variance: 0.99, floor: 1e-3 } as const;

/**
 * PCA whitening of z-scored rows: the eigenvectors of their covariance carrying `variance` of it, each divided by
 * sqrt(eigenvalue + floor · largest) so a direction of tiny variance is not blown up into noise. ml-matrix's
 * symmetric eigendecomposition.
 */
export function fitWhitening(z: Float32Array, n: number, d: number, options: { variance: number; floor: number } = WHITENING): { kept: number; projection: Float32Array } {
  const rows = Array.from({ length: n }, (_, i) => Array.from(z.subarray(i * d, (i + 1) * d)));
  const centred = new Matrix(rows).center("column");
  const covariance = centred.transpose().mmul(centred).div(n);
  const eig = new EigenvalueDecomposition(covariance, { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const order = values.map((_, i) => i).sort((a, b) => values[b]! - values[a]!);
  const total = values.reduce((s, v) => s + Math.max(0, v), 0);
  const largest = Math.max(values[order[0]!]!, 1e-12);
  let kept = 0;
  for (let acc = 0; kept < order.length && acc < options.variance * total; kept++) acc += Math.max(0, values[order[kept]!]!);
  kept = Math.max(1, kept);
  const vectors = eig.eigenvectorMatrix;
  const projection = new Float32Array(d * kept);
  for (let j = 0; j < kept; j++) {
    const scale = 1 / Math.sqrt(Math.max(0, values[order[j]!]!) + options.floor * largest);
    for (let c = 0; c < d; c++) projection[c * kept + j] = vectors.get(c, order[j]!) * scale;
  }
  return { kept, projection };
}

/** Fits a scaler on n rows of d columns; a constant column gets sd 1 (it then stays 0 after centring). */
export function fitScaler(x: Float32Array, n: number, d: number): FeatureScaler {
  const mean = new Float32Array(d);
  const sd = new Float32Array(d);
  const m = new Float64Array(d);
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) m[c]! += x[i * d + c]! / n;
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) v[c]! += (x[i * d + c]! - m[c]!) ** 2 / n;
  for (let c = 0; c < d; c++) {
    mean[c] = m[c]!;
    sd[c] = Math.sqrt(v[c]!) > 1e-9 ? Math.sqrt(v[c]!) : 1;
  }
  return { mean, sd };
}

/** Rows z-scored by a scaler, then whitened where it whitens (a new array). */
export function applyScaler(scaler: FeatureScaler, x: Float32Array): Float32Array {
  const d = scaler.mean.length;
  const z = x.map((value, i) => (value - scaler.mean[i % d]!) / scaler.sd[i % d]!);
  if (!scaler.whitening) return z;
  const { kept, projection } = scaler.whitening;
  const n = z.length / d;
  const out = new Float32Array(n * kept);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) {
      const v = z[i * d + c]!;
      if (v === 0) continue;
      for (let j = 0; j < kept; j++) out[i * kept + j]! += v * projection[c * kept + j]!;
    }
  }
  return out;
}

/** Timbre statistics of tracks' raw cached log-mel, row-major (one row per track). */
export function timbreFeatures(frames: readonly Float32Array[], melBins: number, nMfcc: number = BASELINE_DEFAULTS.nMfcc): { x: Float32Array; d: number } {
  const rows = frames.map((f) => timbreStatistics(f, melBins, nMfcc));
  const d = rows[0]?.length ?? 0;
  const x = new Float32Array(rows.length * d);
  rows.forEach((r, i) => x.set(r, i * d));
  return { x, d };
}

/** A fitted baseline: what `curator predict` needs to score any track from its cached log-mel. */
export interface MfccBaseline {
  /** Files written before 2026-12-07 have no field and are bag-of-words. */
  features: BaselineFeatures;
  words: number;
  stride: number;
  nMfcc: number;
  melBins: number;
  lambda: number;
  /** Tracks it was fitted on. */
  tracks: number;
  /** bag-of-words only. */
  vocabulary?: Vocabulary;
  /** timbre-stats only. */
  scaler?: FeatureScaler;
  ridge: RidgeModel;
}

/**
 * Fits the baseline on the tracks' raw cached log-mel (`frames[i]`, time-major, `melBins` wide) and their unit CF
 * targets (row-major, `k` per track). Bag-of-words: the vocabulary shrinks below BASELINE_DEFAULTS.words only when
 * the sampled frames are too few to make that many words (a toy catalogue).
 */
export function fitMfccBaseline(
  frames: readonly Float32Array[],
  targets: Float32Array,
  k: number,
  melBins: number,
  features: BaselineFeatures = BASELINE_DEFAULTS.features,
  whiten: boolean = BASELINE_DEFAULTS.whiten,
): MfccBaseline {
  const { stride, nMfcc } = BASELINE_DEFAULTS;
  if (features === "timbre-stats") {
    if (frames.length < 2) throw new Error(`the timbre-statistics baseline needs at least 2 tracks, got ${frames.length}`);
    const { x, d } = timbreFeatures(frames, melBins, nMfcc);
    const scaler = fitScaler(x, frames.length, d);
    if (whiten) scaler.whitening = fitWhitening(applyScaler(scaler, x), frames.length, d);
    const inputs = applyScaler(scaler, x);
    const { model, lambda } = fitRidgeCv(inputs, targets, frames.length, inputs.length / frames.length, k);
    return { features, words: 0, stride, nMfcc, melBins, lambda, tracks: frames.length, scaler, ridge: model };
  }
  const mfccs = frames.map((f) => mfccFromLogMel(f, melBins, nMfcc));
  const sampled = mfccs.reduce((s, m) => s + Math.ceil(m.nFrames / stride), 0);
  const words = Math.min(BASELINE_DEFAULTS.words, Math.floor(sampled / 4));
  if (words < 2) throw new Error(`the MFCC baseline needs more audio: ${frames.length} tracks give ${sampled} sampled frames`);
  const vocabulary = fitStridedVocabulary(mfccs, words, stride);
  const { model, lambda } = fitRidgeCv(histograms(mfccs, vocabulary), targets, frames.length, words, k);
  return { features, words, stride, nMfcc, melBins, lambda, tracks: frames.length, vocabulary, ridge: model };
}

/**
 * The baseline's own space for tracks' raw cached log-mel, row-major: z-scored timbre statistics, or word
 * histograms. "Sounds alike" is measured in it, and the Audio column's neighbours come from the predictions.
 */
export function baselineInputs(baseline: MfccBaseline, frames: readonly Float32Array[]): Float32Array {
  if (baseline.features === "timbre-stats") return applyScaler(baseline.scaler!, timbreFeatures(frames, baseline.melBins, baseline.nMfcc).x);
  return histograms(frames.map((f) => mfccFromLogMel(f, baseline.melBins, baseline.nMfcc)), baseline.vocabulary!);
}

/** Predicted unit CF factors (row-major) of tracks' raw cached log-mel, any length (the histogram is normalised). */
export function predictMfccBaseline(baseline: MfccBaseline, frames: readonly Float32Array[]): Float32Array {
  return predictRidge(baseline.ridge, baselineInputs(baseline, frames));
}

/** Where the baseline file sits and its SHA-256, as a run records them. */
export interface StoredBaseline {
  path: string;
  sha256: string;
}

/** Written then renamed (a crash leaves the old file or none); returns its SHA-256 for the run record. */
export async function saveMfccBaseline(path: string, baseline: MfccBaseline): Promise<StoredBaseline> {
  const { vocabulary, scaler, ridge } = baseline;
  const json = JSON.stringify({
    ...baseline,
    ...(vocabulary ? { vocabulary: { ...vocabulary, centroids: Array.from(vocabulary.centroids) } } : {}),
    ...(scaler
      ? {
          scaler: {
            mean: Array.from(scaler.mean),
            sd: Array.from(scaler.sd),
            ...(scaler.whitening ? { whitening: { kept: scaler.whitening.kept, projection: Array.from(scaler.whitening.projection) } } : {}),
          },
        }
      : {}),
    ridge: { ...ridge, weights: Array.from(ridge.weights), inputMean: Array.from(ridge.inputMean), outputMean: Array.from(ridge.outputMean) },
  });
  const bytes = new TextEncoder().encode(json);
  await writeFileAtomic(path, bytes);
  return { path, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** Refuses a file whose bytes are not the ones the run recorded. */
export async function loadMfccBaseline({ path, sha256 }: StoredBaseline): Promise<MfccBaseline> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`MFCC baseline ${path} cannot be read (${(error as Error).message}): train the run again`, { cause: error });
  }
  const actual = createHash("sha256").update(bytes).digest("hex");
  if (actual !== sha256) throw new Error(`MFCC baseline ${path} is damaged: SHA-256 ${actual.slice(0, 12)}…, the run recorded ${sha256.slice(0, 12)}…`);
  const parsed = JSON.parse(bytes.toString("utf8")) as Omit<MfccBaseline, "features"> & {
    features?: BaselineFeatures;
    vocabulary?: { centroids: number[] };
    scaler?: { mean: number[]; sd: number[]; whitening?: { kept: number; projection: number[] } };
    ridge: { weights: number[]; inputMean: number[]; outputMean: number[] };
  };
  const { vocabulary, scaler, ...rest } = parsed;
  return {
    ...rest,
    features: parsed.features ?? "bag-of-words",
    ...(vocabulary ? { vocabulary: { ...(vocabulary as unknown as Vocabulary), centroids: Float32Array.from(vocabulary.centroids) } } : {}),
    ...(scaler
      ? {
          scaler: {
            mean: Float32Array.from(scaler.mean),
            sd: Float32Array.from(scaler.sd),
            ...(scaler.whitening ? { whitening: { kept: scaler.whitening.kept, projection: Float32Array.from(scaler.whitening.projection) } } : {}),
          },
        }
      : {}),
    ridge: {
      ...parsed.ridge,
      weights: Float64Array.from(parsed.ridge.weights),
      inputMean: Float64Array.from(parsed.ridge.inputMean),
      outputMean: Float64Array.from(parsed.ridge.outputMean),
    },
  };
}
