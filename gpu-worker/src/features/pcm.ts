import { endianness } from "node:os";

// f32leSamples reinterprets ffmpeg's little-endian bytes in the host's order.
if (endianness() !== "LE") throw new Error("features need a little-endian host (f32le samples are read as native floats)");

/**
 * Clamps samples to [-1, 1] in place and returns how many were out of range. Lossy decoders and the resampler
 * overshoot full scale on loud masters; clamping every decode the same way (excerpt or whole track, training or
 * inference) keeps the features a function of the file alone, as a 16-bit export of the same audio would be.
 */
export function clipToUnit(samples: Float32Array): number {
  let clipped = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    if (s > 1) {
      samples[i] = 1;
      clipped++;
    } else if (s < -1) {
      samples[i] = -1;
      clipped++;
    }
  }
  return clipped;
}

/**
 * Little-endian f32 bytes (ffmpeg's `-f f32le`) from `offset` to at most `count` samples, as floats: a view of
 * `bytes` where they are 4-byte aligned (ffmpeg's outputs are, being allocated whole rather than from Node's
 * buffer pool), else a copy to aligned memory. Exact on a little-endian host, which the module checks once at
 * import. The view spares a copy of every decode: for a whole track, one more copy of all its samples at the peak.
 */
export function f32leSamples(bytes: Buffer, offset = 0, count = Infinity): Float32Array {
  const available = Math.max(0, Math.floor(bytes.length / 4) - offset);
  const n = Math.min(available, count);
  const begin = bytes.byteOffset + 4 * offset;
  return begin % 4 === 0 ? new Float32Array(bytes.buffer, begin, n) : new Float32Array(bytes.buffer.slice(begin, begin + 4 * n));
}

/** `samples` zero-padded at the end to `length` (returned unchanged if already that long). */
export function padEnd(samples: Float32Array, length: number): Float32Array {
  if (samples.length >= length) return samples;
  const out = new Float32Array(length);
  out.set(samples);
  return out;
}
