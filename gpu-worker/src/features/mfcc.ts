import type { MelFrames } from "./logmel.js";

/**
 * librosa.power_to_db(S, ref=1.0, amin, top_db): 10·log10(max(amin, S)), floored at top_db below the
 * spectrogram's global maximum (null: no floor). Returns a new array.
 */
export function powerToDb(power: Float32Array, amin = 1e-10, topDb: number | null = 80): Float32Array {
  const out = new Float32Array(power.length);
  let peak = -Infinity;
  for (let i = 0; i < power.length; i++) {
    const db = 10 * Math.log10(Math.max(amin, power[i]!));
    out[i] = db;
    if (db > peak) peak = db;
  }
  if (topDb !== null) {
    const floor = peak - topDb;
    for (let i = 0; i < out.length; i++) if (out[i]! < floor) out[i] = floor;
  }
  return out;
}

/** Row k of the orthonormal DCT-II matrix (scipy.fft.dct(type=2, norm="ortho")) for an n-point input. */
function dctMatrix(nOut: number, nIn: number): Float64Array {
  const basis = new Float64Array(nOut * nIn);
  for (let k = 0; k < nOut; k++) {
    const scale = Math.sqrt((k === 0 ? 1 : 2) / nIn);
    for (let n = 0; n < nIn; n++) basis[k * nIn + n] = scale * Math.cos((Math.PI * k * (2 * n + 1)) / (2 * nIn));
  }
  return basis;
}

/** Time-major MFCCs: `data[frame * nMfcc + k]`. */
export interface Mfcc {
  data: Float32Array;
  nFrames: number;
  nMfcc: number;
}

/**
 * librosa.feature.mfcc(S=power_to_db(mel_power), n_mfcc, dct_type=2, norm="ortho", lifter=0) on a time-major
 * mel power spectrogram (melSpectrogram's output, before any log).
 */
export function mfcc(melPower: MelFrames, nMfcc = 20, amin = 1e-10, topDb: number | null = 80): Mfcc {
  const { nFrames, nMels } = melPower;
  if (nMfcc > nMels) throw new RangeError(`nMfcc ${nMfcc} exceeds nMels ${nMels}`);
  const db = powerToDb(melPower.data, amin, topDb);
  const basis = dctMatrix(nMfcc, nMels);
  const data = new Float32Array(nFrames * nMfcc);
  for (let frame = 0; frame < nFrames; frame++) {
    const row = frame * nMels;
    for (let k = 0; k < nMfcc; k++) {
      let sum = 0;
      for (let n = 0; n < nMels; n++) sum += basis[k * nMels + n]! * db[row + n]!;
      data[frame * nMfcc + k] = sum;
    }
  }
  return { data, nFrames, nMfcc };
}
