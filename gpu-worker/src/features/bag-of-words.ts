import { kmeans } from "ml-kmeans";
import type { Mfcc } from "./mfcc.js";

/**
 * The baseline of van den Oord et al. (2013): MFCC frames quantised against a k-means vocabulary, each track
 * summarised by its normalised word histogram.
 */
export interface Vocabulary {
  /** Word centroids, `centroids[word * dimension + d]`. */
  centroids: Float32Array;
  words: number;
  dimension: number;
}

export interface VocabularyOptions {
  /** Vocabulary size (the paper: 4000). Default 4000. */
  words?: number;
  /** Seed for k-means++ initialisation, so a vocabulary can be rebuilt bit for bit. Default 1. */
  seed?: number;
  /** Default 100, ml-kmeans' own. */
  maxIterations?: number;
}

/** Fits a vocabulary on MFCC frames pooled from many tracks (sample frames first: k-means is O(frames·words)). */
export function fitVocabulary(tracks: readonly Mfcc[], options: VocabularyOptions = {}): Vocabulary {
  const { words = 4000, seed = 1, maxIterations = 100 } = options;
  const dimension = tracks[0]?.nMfcc ?? 0;
  const points: number[][] = [];
  for (const track of tracks) {
    if (track.nMfcc !== dimension) throw new RangeError(`MFCC dimension ${track.nMfcc} != ${dimension}`);
    for (let f = 0; f < track.nFrames; f++) points.push(Array.from(track.data.subarray(f * dimension, (f + 1) * dimension)));
  }
  if (points.length < words) throw new RangeError(`${points.length} frames cannot make ${words} words`);
  const result = kmeans(points, words, { seed, maxIterations, initialization: "kmeans++" });
  return { centroids: Float32Array.from(result.centroids.flat()), words, dimension };
}

/** Index of the nearest centroid (squared Euclidean) for each frame. */
export function assignWords(track: Mfcc, vocabulary: Vocabulary): Int32Array {
  const { centroids, words, dimension } = vocabulary;
  if (track.nMfcc !== dimension) throw new RangeError(`MFCC dimension ${track.nMfcc} != vocabulary's ${dimension}`);
  const out = new Int32Array(track.nFrames);
  for (let f = 0; f < track.nFrames; f++) {
    let best = 0;
    let bestDistance = Infinity;
    for (let w = 0; w < words; w++) {
      let distance = 0;
      for (let d = 0; d < dimension; d++) {
        const diff = track.data[f * dimension + d]! - centroids[w * dimension + d]!;
        distance += diff * diff;
      }
      if (distance < bestDistance) {
        bestDistance = distance;
        best = w;
      }
    }
    out[f] = best;
  }
  return out;
}

/** Word histogram of a track, normalised to sum 1 so tracks of different lengths compare. */
export function bagOfWords(track: Mfcc, vocabulary: Vocabulary): Float32Array {
  const histogram = new Float32Array(vocabulary.words);
  const assigned = assignWords(track, vocabulary);
  for (const word of assigned) histogram[word]! += 1 / assigned.length;
  return histogram;
}
