// Input standardisation per mel bin. log(1 + 10⁴·power) spans roughly 0–10 with band means far from zero and
// very different spreads across bands; a convnet fitted to that raw scale collapses to predicting the mean
// target (≈ zero factors). Statistics come from the training tracks only and travel with the model run, so
// prediction applies exactly the transform the weights were trained on.

export interface Standardizer {
  /** Per mel bin. */
  mean: number[];
  /** Per mel bin; never below MIN_STD. */
  std: number[];
}

// A band that is constant over the training set (a silent top band) would divide by zero.
const MIN_STD = 1e-3;

/** Mean and standard deviation of every mel bin over all frames of `tracks` (each frames × melBins, row-major). */
export function fitStandardizer(tracks: readonly Float32Array[], melBins: number): Standardizer {
  const sum = new Float64Array(melBins);
  const sumSquares = new Float64Array(melBins);
  let frames = 0;
  for (const track of tracks) {
    if (track.length % melBins !== 0) throw new RangeError(`${track.length} values are not whole ${melBins}-bin frames`);
    for (let i = 0; i < track.length; i++) {
      const v = track[i]!;
      sum[i % melBins]! += v;
      sumSquares[i % melBins]! += v * v;
    }
    frames += track.length / melBins;
  }
  if (frames === 0) throw new RangeError("standardisation needs at least one frame");
  const mean = Array.from(sum, (s) => s / frames);
  const std = Array.from(sumSquares, (s, b) => Math.max(MIN_STD, Math.sqrt(Math.max(0, s / frames - mean[b]! ** 2))));
  return { mean, std };
}

/** (x − mean) / std per mel bin, into a new array. */
export function standardize(track: Float32Array, s: Standardizer): Float32Array {
  const melBins = s.mean.length;
  if (track.length % melBins !== 0) throw new RangeError(`${track.length} values are not whole ${melBins}-bin frames`);
  const out = new Float32Array(track.length);
  for (let i = 0; i < track.length; i++) out[i] = (track[i]! - s.mean[i % melBins]!) / s.std[i % melBins]!;
  return out;
}

/** Refuses statistics of the wrong size or with non-finite values (a hand-edited or truncated run record). */
export function checkStandardizer(s: Standardizer, melBins: number, where: string): Standardizer {
  if (s.mean?.length !== melBins || s.std?.length !== melBins) {
    throw new Error(`${where}: input standardisation has ${s.mean?.length}/${s.std?.length} bins, the model takes ${melBins}`);
  }
  if (![...s.mean, ...s.std].every(Number.isFinite) || s.std.some((v) => v <= 0)) {
    throw new Error(`${where}: input standardisation holds non-finite or non-positive values`);
  }
  return s;
}
