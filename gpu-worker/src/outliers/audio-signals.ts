// Loudness, silence and speech-likeness of a track from its cached log-mel excerpt (frames × bands, values
// log(1 + c·power) as the features stage writes them). Stingers, menu loops and spoken interludes differ from
// songs in exactly these: little sustained energy, long silences, noise-like or talk-like spectra, sparse onsets.

export interface LogMelInput {
  /** frames × nMels, row-major: log(1 + logScale · mel power). */
  data: Float32Array;
  nMels: number;
  logScale: number;
  /** Frames per second (sample rate / hop length). */
  frameRate: number;
}

export interface AudioSignals {
  /** Mean frame energy in dB (relative to mel power 1): how loud the excerpt is overall. */
  meanEnergyDb: number;
  /** Spread (standard deviation) of frame energy in dB: dynamics, large for a fade or a track with pauses. */
  energySpreadDb: number;
  /** Share of frames more than SILENCE_DB below the excerpt's loud frames (95th percentile), or without power. */
  silentFraction: number;
  /**
   * Mean spectral flatness (geometric over arithmetic mean of the mel powers) of the sounding frames: near 1
   * for noise, near 0 for tonal music.
   */
  flatness: number;
  /**
   * Standard deviation over sounding frames of the spectral centroid (in fractions of the mel range): speech
   * jumps between voiced and fricative frames, sustained music changes slowly.
   */
  centroidSpread: number;
  /** Onsets per second: peaks of the positive spectral flux above its median + 1.4826·MAD. */
  onsetRate: number;
}

/** How far below the loud frames a frame counts as near-silent: −40 dB is a quiet room against a playing track. */
export const SILENCE_DB = 40;
// Mel power below this is digital silence (zero padding of tracks shorter than the excerpt).
const POWER_FLOOR = 1e-10;
const FLATNESS_EPSILON = 1e-12;

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

function framePowers(input: LogMelInput): Float64Array[] {
  const { data, nMels, logScale } = input;
  if (nMels < 1 || data.length % nMels !== 0) throw new RangeError(`${data.length} values are not frames of ${nMels} bands`);
  const frames = data.length / nMels;
  return Array.from({ length: frames }, (_, f) => Float64Array.from(data.subarray(f * nMels, (f + 1) * nMels), (v) => Math.expm1(v) / logScale));
}

export function audioSignals(input: LogMelInput): AudioSignals {
  const powers = framePowers(input);
  const nMels = input.nMels;
  const frames = powers.length;
  if (frames === 0) throw new RangeError("audioSignals: no frames");
  const energy = Float64Array.from(powers, (p) => p.reduce((s, v) => s + v, 0));
  const energyDb = Float64Array.from(energy, (e) => 10 * Math.log10(Math.max(e, POWER_FLOOR)));

  let mean = 0;
  for (const v of energyDb) mean += v / frames;
  let variance = 0;
  for (const v of energyDb) variance += (v - mean) ** 2 / frames;

  const loud = quantile(Float64Array.from(energyDb).sort(), 0.95);
  const sounding: number[] = [];
  energy.forEach((e, f) => {
    if (e > POWER_FLOOR && energyDb[f]! >= loud - SILENCE_DB) sounding.push(f);
  });

  let flatness = 0;
  const centroids = new Float64Array(sounding.length);
  sounding.forEach((f, i) => {
    const p = powers[f]!;
    let logSum = 0;
    let weighted = 0;
    for (let b = 0; b < nMels; b++) {
      logSum += Math.log(p[b]! + FLATNESS_EPSILON);
      weighted += b * p[b]!;
    }
    // The same ε in both means keeps the ratio within [0, 1] (AM ≥ GM) when some bands hold no power at all.
    flatness += Math.exp(logSum / nMels) / (energy[f]! / nMels + FLATNESS_EPSILON);
    centroids[i] = weighted / energy[f]! / (nMels - 1);
  });
  let centroidMean = 0;
  for (const c of centroids) centroidMean += c / Math.max(1, centroids.length);
  let centroidVar = 0;
  for (const c of centroids) centroidVar += (c - centroidMean) ** 2 / Math.max(1, centroids.length);

  return {
    meanEnergyDb: mean,
    energySpreadDb: Math.sqrt(variance),
    silentFraction: 1 - sounding.length / frames,
    flatness: sounding.length > 0 ? flatness / sounding.length : 0,
    centroidSpread: Math.sqrt(centroidVar),
    onsetRate: onsetRate(input.data, nMels, input.frameRate),
  };
}

/**
 * Onsets per second from the log-mel: the spectral flux (sum over bands of the rise of log energy from one frame
 * to the next) peaks where notes and drums start; a frame counts when its flux is a local maximum above the
 * track's own median + 1.4826·MAD, so the rate does not depend on overall loudness.
 */
export function onsetRate(logMel: Float32Array, nMels: number, frameRate: number): number {
  const frames = logMel.length / nMels;
  if (frames < 3) return 0;
  const flux = new Float64Array(frames);
  for (let f = 1; f < frames; f++) {
    let s = 0;
    for (let b = 0; b < nMels; b++) s += Math.max(0, logMel[f * nMels + b]! - logMel[(f - 1) * nMels + b]!);
    flux[f] = s;
  }
  const sorted = Float64Array.from(flux).sort();
  const med = quantile(sorted, 0.5);
  const deviations = Float64Array.from(flux, (v) => Math.abs(v - med)).sort();
  const threshold = med + 1.4826 * quantile(deviations, 0.5);
  let onsets = 0;
  for (let f = 1; f < frames - 1; f++) {
    if (flux[f]! > threshold && flux[f]! >= flux[f - 1]! && flux[f]! > flux[f + 1]!) onsets++;
  }
  return onsets / (frames / frameRate);
}
