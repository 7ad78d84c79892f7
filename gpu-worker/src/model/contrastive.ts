// Self-supervised contrastive learning on audio (COLA, Saeed et al. 2021; CLMR, Spijkervet & Burgoyne 2021): two
// augmented crops of one track are a positive pair, the other crops of the batch its negatives, and the NT-Xent
// (normalised-temperature cross-entropy, SimCLR's InfoNCE) loss pulls each crop's projection towards its twin's.
// The augmentations work on standardised log-mel crops, where a level change is close to an offset of every
// value and an equaliser to an offset per mel bin: they take from the network what a recording's loudness and
// colouring tell, so it must learn what stays when those change.
import type { Scalar, Tensor } from "@tensorflow/tfjs";

import type { Tf } from "./architecture.js";
import { maskCrops, type MaskOptions } from "./spec-augment.js";

export interface AugmentOptions {
  /** Largest level change: the whole crop is offset by a uniform draw in ±gain (standardised units). */
  gain: number;
  /** Largest spectral tilt: a line over the mel bins from −t to +t, t uniform in ±tilt. */
  tilt: number;
  /** Largest peaking-EQ gain: one bump of random centre, width (4–32 bins) and gain in ±eq. */
  eq: number;
  /** Frequency and time masks (SpecAugment), drawn as in training. */
  masks: MaskOptions;
}

/** Anything with a uniform [0, 1) draw and integer draws: the loops' seeded Rng. */
interface Source {
  next(): number;
  int(n: number): number;
}

const uniform = (rng: Source, max: number) => (2 * rng.next() - 1) * max;

/**
 * Augments each crop of `batch` ([crops, frames, melBins], frame after frame) in place: level, tilt, one EQ bump,
 * then the masks. Time shift is the caller's: each view is cropped at its own random start. Draws only from `rng`.
 */
export function augmentCrops(batch: Float32Array, frames: number, melBins: number, options: AugmentOptions, rng: Source): Float32Array {
  const size = frames * melBins;
  if (batch.length % size !== 0) throw new Error(`augmentCrops: ${batch.length} values is not a whole number of ${frames} × ${melBins} crops`);
  const offsets = new Float32Array(melBins);
  for (let base = 0; base < batch.length; base += size) {
    const gain = uniform(rng, options.gain);
    const tilt = uniform(rng, options.tilt);
    const eqGain = uniform(rng, options.eq);
    const eqCentre = rng.next() * melBins;
    const eqWidth = 4 + rng.next() * 28;
    for (let b = 0; b < melBins; b++) {
      const position = melBins > 1 ? (2 * b) / (melBins - 1) - 1 : 0;
      offsets[b] = gain + tilt * position + eqGain * Math.exp(-0.5 * ((b - eqCentre) / (eqWidth / 2)) ** 2);
    }
    for (let t = 0; t < frames; t++) {
      const row = base + t * melBins;
      for (let b = 0; b < melBins; b++) batch[row + b]! += offsets[b]!;
    }
  }
  return maskCrops(batch, frames, melBins, options.masks, rng);
}

/**
 * NT-Xent over a batch of pairs: `a` and `b` are [n, d] projections, row i of each the two views of one track.
 * Every one of the 2n views is classified among the other 2n − 1 by cosine similarity / temperature, its twin
 * the right class; the loss is the mean cross-entropy over the 2n views (SimCLR's eq. 1, summed over both
 * directions). Its floor is 0; with n pairs of random projections it is about ln(2n − 1).
 */
export function ntXentLoss(tf: Tf, a: Tensor, b: Tensor, temperature: number): Scalar {
  return tf.tidy(() => {
    const n = a.shape[0]!;
    if (b.shape[0] !== n) throw new Error(`ntXentLoss: ${n} and ${b.shape[0]} views do not pair up`);
    const z = tf.div(tf.concat([a, b], 0), tf.add(tf.norm(tf.concat([a, b], 0), "euclidean", 1, true), 1e-12));
    // A view is no candidate for itself: its logit is pushed far below every other.
    const self = tf.mul(tf.eye(2 * n), 1e9);
    const logits = tf.sub(tf.div(tf.matMul(z, z, false, true), temperature), self);
    const twin = Int32Array.from({ length: 2 * n }, (_, i) => (i < n ? i + n : i - n));
    const labels = tf.oneHot(tf.tensor1d(twin, "int32"), 2 * n);
    return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), 1))) as Scalar;
  });
}
