import { Rng } from "@curator/worker/util/random.js";

/** Log-mel-like frames × mels: a per-track spectral envelope with a slow modulation, and noise. */
export function syntheticLogMel(seed: number, frames: number, mels = 128): Float32Array {
  const rng = new Rng(seed);
  const centre = rng.next() * mels;
  const out = new Float32Array(frames * mels);
  for (let t = 0; t < frames; t++) {
    for (let m = 0; m < mels; m++) out[t * mels + m] = 3 * Math.exp(-(((m - centre) / 12) ** 2)) * (1 + 0.3 * Math.sin(0.05 * t)) + 0.2 * rng.next();
  }
  return out;
}
