// The NIPS 2013 paper's content baseline: MFCC frames quantised against a k-means vocabulary, each track's word
// histogram regressed onto its unit CF factors by ridge regression (λ by 5-fold cross-validation). `curator train`
// fits it beside the convnet and keeps whichever ranks the validation tracks better (model-choice.ts); `npm run
// eval -- coldstart` reports it as "MFCC BoW + linear regression". One definition here serves both, so the shipped
// baseline and the evaluated one are the same model.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

import { LOG_MEL_DEFAULTS } from "../features/logmel.js";
import { mfcc, type Mfcc } from "../features/mfcc.js";
import { bagOfWords, fitVocabulary, type Vocabulary } from "../features/bag-of-words.js";
import { fitRidge, predictRidge, type RidgeModel } from "../model/ridge.js";
import { Rng } from "../util/random.js";
import { writeFileAtomic } from "../util/atomic-write.js";

/** Vocabulary size and k-means frame stride: measured on the Debian corpus in eval/coldstart.ts. */
export const BASELINE_DEFAULTS = { words: 256, stride: 4, nMfcc: 20 } as const;

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

/** A fitted baseline: what `curator predict` needs to score any track from its cached log-mel. */
export interface MfccBaseline {
  words: number;
  stride: number;
  nMfcc: number;
  melBins: number;
  lambda: number;
  /** Tracks it was fitted on. */
  tracks: number;
  vocabulary: Vocabulary;
  ridge: RidgeModel;
}

/**
 * Fits vocabulary and ridge on the tracks' raw cached log-mel (`frames[i]`, time-major, `melBins` wide) and their
 * unit CF targets (row-major, `k` per track). The vocabulary shrinks below BASELINE_DEFAULTS.words only when the
 * sampled frames are too few to make that many words (a toy catalogue).
 */
export function fitMfccBaseline(frames: readonly Float32Array[], targets: Float32Array, k: number, melBins: number): MfccBaseline {
  const { stride, nMfcc } = BASELINE_DEFAULTS;
  const mfccs = frames.map((f) => mfccFromLogMel(f, melBins, nMfcc));
  const sampled = mfccs.reduce((s, m) => s + Math.ceil(m.nFrames / stride), 0);
  const words = Math.min(BASELINE_DEFAULTS.words, Math.floor(sampled / 4));
  if (words < 2) throw new Error(`the MFCC baseline needs more audio: ${frames.length} tracks give ${sampled} sampled frames`);
  const vocabulary = fitStridedVocabulary(mfccs, words, stride);
  const { model, lambda } = fitRidgeCv(histograms(mfccs, vocabulary), targets, frames.length, words, k);
  return { words, stride, nMfcc, melBins, lambda, tracks: frames.length, vocabulary, ridge: model };
}

/** Predicted unit CF factors (row-major) of tracks' raw cached log-mel, any length (the histogram is normalised). */
export function predictMfccBaseline(baseline: MfccBaseline, frames: readonly Float32Array[]): Float32Array {
  return predictRidge(baseline.ridge, histograms(frames.map((f) => mfccFromLogMel(f, baseline.melBins, baseline.nMfcc)), baseline.vocabulary));
}

/** Where the baseline file sits and its SHA-256, as a run records them. */
export interface StoredBaseline {
  path: string;
  sha256: string;
}

/** Written then renamed (a crash leaves the old file or none); returns its SHA-256 for the run record. */
export async function saveMfccBaseline(path: string, baseline: MfccBaseline): Promise<StoredBaseline> {
  const { vocabulary, ridge } = baseline;
  const json = JSON.stringify({
    ...baseline,
    vocabulary: { ...vocabulary, centroids: Array.from(vocabulary.centroids) },
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
  const parsed = JSON.parse(bytes.toString("utf8")) as MfccBaseline & {
    vocabulary: { centroids: number[] };
    ridge: { weights: number[]; inputMean: number[]; outputMean: number[] };
  };
  return {
    ...parsed,
    vocabulary: { ...parsed.vocabulary, centroids: Float32Array.from(parsed.vocabulary.centroids) },
    ridge: {
      ...parsed.ridge,
      weights: Float64Array.from(parsed.ridge.weights),
      inputMean: Float64Array.from(parsed.ridge.inputMean),
      outputMean: Float64Array.from(parsed.ridge.outputMean),
    },
  };
}
