// SpecAugment's masking (Park et al., Interspeech 2019) on training crops: bands of mel bins and spans of frames
// set to 0, which after per-bin standardisation is each bin's training mean. With a few hundred training tracks
// the net otherwise leans on a few bands or moments of each; masked, it must recognise a track from the rest.

export interface MaskOptions {
  /** Frequency masks per crop: each covers a run of up to `freqMaskWidth` mel bins. */
  freqMasks: number;
  freqMaskWidth: number;
  /** Time masks per crop: each covers a run of up to `timeMaskWidth` frames. */
  timeMasks: number;
  timeMaskWidth: number;
}

export const NO_MASKS: MaskOptions = { freqMasks: 0, freqMaskWidth: 0, timeMasks: 0, timeMaskWidth: 0 };

/** Anything with a uniform integer draw in [0, n): the training loop's seeded Rng. */
interface IntSource {
  int(n: number): number;
}

/**
 * Masks each of the batch's crops in place ([crops, frames, melBins], frame after frame). Each mask's width is
 * uniform in [0, maxWidth] (so some masks are empty, as in SpecAugment), its start uniform over the positions
 * where it fits; masks may overlap. Draws only from `rng`, so a seeded run masks alike when resumed.
 */
export function maskCrops(batch: Float32Array, frames: number, melBins: number, masks: MaskOptions, rng: IntSource): Float32Array {
  const size = frames * melBins;
  if (batch.length % size !== 0) throw new Error(`maskCrops: ${batch.length} values is not a whole number of ${frames} × ${melBins} crops`);
  const freqWidth = Math.min(masks.freqMaskWidth, melBins);
  const timeWidth = Math.min(masks.timeMaskWidth, frames);
  for (let crop = 0; crop * size < batch.length; crop++) {
    const base = crop * size;
    for (let m = 0; m < masks.freqMasks; m++) {
      const width = rng.int(freqWidth + 1);
      const first = rng.int(melBins - width + 1);
      for (let t = 0; t < frames; t++) batch.fill(0, base + t * melBins + first, base + t * melBins + first + width);
    }
    for (let m = 0; m < masks.timeMasks; m++) {
      const width = rng.int(timeWidth + 1);
      const first = rng.int(frames - width + 1);
      batch.fill(0, base + first * melBins, base + (first + width) * melBins);
    }
  }
  return batch;
}
