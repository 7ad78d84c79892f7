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

/** Little-endian f32 bytes (ffmpeg's `-f f32le`) from `offset` to at most `count` samples, copied to aligned memory. */
export function f32leSamples(bytes: Buffer, offset = 0, count = Infinity): Float32Array {
  const available = Math.max(0, Math.floor(bytes.length / 4) - offset);
  const n = Math.min(available, count);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = bytes.readFloatLE(4 * (offset + i));
  return out;
}

/** `samples` zero-padded at the end to `length` (returned unchanged if already that long). */
export function padEnd(samples: Float32Array, length: number): Float32Array {
  if (samples.length >= length) return samples;
  const out = new Float32Array(length);
  out.set(samples);
  return out;
}
