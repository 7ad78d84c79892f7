// How a track begins and ends, from its loudness envelope over the whole track: intros tend to fade or swell in,
// outros to fade out, while album tracks and loops mostly start and stop at full level. The cached log-mel holds
// only the middle excerpt, so these signals need the track's two ends (envelope-features.ts decodes them).

export interface EnvelopeSignals {
  /** Seconds from the first sounding frame until the level first comes within RISE_DB of the opening's loud level. */
  fadeInSeconds: number;
  /** Seconds from the last frame within RISE_DB of the ending's loud level until the last sounding frame. */
  fadeOutSeconds: number;
  /** Least-squares slope of the level over the opening window, dB per second: positive for a swell or fade-in. */
  headSlopeDb: number;
  /** The same over the ending window: negative for a fade-out. */
  tailSlopeDb: number;
}

/** Frames this far below the track's loud level (95th percentile) are silence: the start and end of sound. */
export const SOUNDING_DB = 60;
/** A fade is over when the (smoothed) level is within this of the window's loud level. */
export const RISE_DB = 6;
/** Level floor: digital silence in dB relative to full scale. */
const FLOOR_DB = -120;

/** Frame levels in dB (mean power of `frameSamples` samples each; the last partial frame is dropped). */
export function frameLevelsDb(samples: Float32Array, frameSamples: number): Float32Array {
  if (!Number.isInteger(frameSamples) || frameSamples < 1) throw new RangeError(`frameLevelsDb: frame length ${frameSamples} is not a positive integer`);
  const frames = Math.floor(samples.length / frameSamples);
  const out = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    let power = 0;
    for (let s = f * frameSamples; s < (f + 1) * frameSamples; s++) power += samples[s]! * samples[s]!;
    out[f] = Math.max(FLOOR_DB, 10 * Math.log10(power / frameSamples + 1e-30));
  }
  return out;
}

/** Centred moving mean in the power domain over `width` frames, back in dB: one beat's dip is not a fade. */
export function smoothLevels(levelsDb: Float32Array, width: number): Float64Array {
  const n = levelsDb.length;
  const power = Float64Array.from(levelsDb, (v) => 10 ** (v / 10));
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + power[i]!;
  const half = Math.floor(width / 2);
  return Float64Array.from({ length: n }, (_, i) => {
    const lo = Math.max(0, i - half);
    const hi = Math.min(n, i + half + 1);
    return Math.max(FLOOR_DB, 10 * Math.log10((prefix[hi]! - prefix[lo]!) / (hi - lo) + 1e-30));
  });
}

function percentile(values: ArrayLike<number>, from: number, to: number, q: number): number {
  const sorted = Float64Array.from({ length: to - from }, (_, i) => values[from + i]!).sort();
  return sorted[Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))]!;
}

/** Least-squares slope of values[from..to) against time (frames / frameRate). */
function slope(values: ArrayLike<number>, from: number, to: number, frameRate: number): number {
  const n = to - from;
  if (n < 2) return 0;
  let mt = 0;
  let mv = 0;
  for (let i = from; i < to; i++) {
    mt += i / n;
    mv += values[i]! / n;
  }
  let cov = 0;
  let varT = 0;
  for (let i = from; i < to; i++) {
    cov += (i - mt) * (values[i]! - mv);
    varT += (i - mt) ** 2;
  }
  return (cov / varT) * frameRate;
}

/**
 * Fade-in / fade-out lengths and the level trend of the first and last `windowSeconds` of sound, from frame
 * levels in dB at `frameRate` frames per second (frameLevelsDb). Leading and trailing silence is skipped, levels
 * are smoothed over `smoothSeconds` and floored at SOUNDING_DB below the loud level. A silent track has no ends:
 * every signal is NaN.
 */
export function envelopeSignals(levelsDb: Float32Array, frameRate: number, windowSeconds = 20, smoothSeconds = 1): EnvelopeSignals {
  const none = { fadeInSeconds: NaN, fadeOutSeconds: NaN, headSlopeDb: NaN, tailSlopeDb: NaN };
  const n = levelsDb.length;
  if (n === 0) return none;
  const loud = percentile(levelsDb, 0, n, 0.95);
  if (loud <= FLOOR_DB) return none;
  const floor = loud - SOUNDING_DB;
  let first = 0;
  while (levelsDb[first]! < floor) first++;
  let last = n - 1;
  while (levelsDb[last]! < floor) last--;
  const smooth = smoothLevels(levelsDb, Math.max(1, Math.round(smoothSeconds * frameRate))).map((v) => Math.max(v, floor));
  const window = Math.max(1, Math.round(windowSeconds * frameRate));
  const headEnd = Math.min(last + 1, first + window);
  const tailStart = Math.max(first, last + 1 - window);

  const headLoud = percentile(smooth, first, headEnd, 0.95);
  let risen = first;
  while (risen < headEnd - 1 && smooth[risen]! < headLoud - RISE_DB) risen++;
  const tailLoud = percentile(smooth, tailStart, last + 1, 0.95);
  let falling = last;
  while (falling > tailStart && smooth[falling]! < tailLoud - RISE_DB) falling--;
  return {
    fadeInSeconds: (risen - first) / frameRate,
    fadeOutSeconds: (last - falling) / frameRate,
    headSlopeDb: slope(smooth, first, headEnd, frameRate),
    tailSlopeDb: slope(smooth, tailStart, last + 1, frameRate),
  };
}
