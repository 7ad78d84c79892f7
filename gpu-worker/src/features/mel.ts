/**
 * Mel scale and filterbank, numerically as librosa 0.11 (`librosa.filters.mel`, `hz_to_mel`, `mel_to_hz`).
 */

// Slaney's Auditory Toolbox scale: linear below 1 kHz (200/3 Hz per mel), logarithmic above.
const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

/** librosa.hz_to_mel(frequency, htk). */
export function hzToMel(frequency: number, htk = false): number {
  if (htk) return 2595 * Math.log10(1 + frequency / 700);
  return frequency >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(frequency / MIN_LOG_HZ) / LOG_STEP : frequency / F_SP;
}

/** librosa.mel_to_hz(mel, htk). */
export function melToHz(mel: number, htk = false): number {
  if (htk) return 700 * (10 ** (mel / 2595) - 1);
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

/** librosa.mel_frequencies(n_mels, fmin, fmax, htk): nMels frequencies evenly spaced in mel. */
export function melFrequencies(nMels = 128, fmin = 0, fmax = 11025, htk = false): Float64Array {
  const lo = hzToMel(fmin, htk);
  const hi = hzToMel(fmax, htk);
  const out = new Float64Array(nMels);
  // np.linspace's formula, so the band edges match librosa's to the last bit that matters.
  const step = nMels > 1 ? (hi - lo) / (nMels - 1) : 0;
  for (let i = 0; i < nMels; i++) out[i] = melToHz(i === nMels - 1 ? hi : lo + i * step, htk);
  return out;
}

export interface MelFilterbankOptions {
  /** Sample rate of the analysed signal in Hz. Default 22050. */
  sampleRate?: number;
  /** FFT size the filterbank applies to. Default 2048. */
  nFft?: number;
  /** Number of mel bands. Default 128. */
  nMels?: number;
  /** Lowest band edge in Hz. Default 0. */
  fmin?: number;
  /** Highest band edge in Hz. Default sampleRate / 2. */
  fmax?: number;
  /** HTK mel formula instead of Slaney's. Default false. */
  htk?: boolean;
  /** "slaney" divides each triangle by its width in Hz (constant energy per band); null leaves peaks at 1. */
  norm?: "slaney" | null;
}

/**
 * Dense weights `weights[band * nBins + bin]` plus each band's non-zero bin range [start, end), which lets
 * the product with a spectrogram skip the ~98 % of zeros.
 */
export interface MelFilterbank {
  weights: Float64Array;
  nMels: number;
  nBins: number;
  start: Int32Array;
  end: Int32Array;
}

/** librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm): triangular filters on the rfft bins. */
export function melFilterbank(options: MelFilterbankOptions = {}): MelFilterbank {
  const { sampleRate = 22050, nFft = 2048, nMels = 128, fmin = 0, fmax = sampleRate / 2, htk = false } = options;
  const norm = options.norm === undefined ? "slaney" : options.norm;
  const nBins = Math.floor(nFft / 2) + 1;
  const edges = melFrequencies(nMels + 2, fmin, fmax, htk);
  const weights = new Float64Array(nMels * nBins);
  const start = new Int32Array(nMels).fill(nBins);
  const end = new Int32Array(nMels);
  for (let band = 0; band < nMels; band++) {
    const left = edges[band]!;
    const centre = edges[band + 1]!;
    const right = edges[band + 2]!;
    const scale = norm === "slaney" ? 2 / (right - left) : 1;
    for (let bin = 0; bin < nBins; bin++) {
      const frequency = (bin * sampleRate) / nFft;
      const rising = (frequency - left) / (centre - left);
      const falling = (right - frequency) / (right - centre);
      const weight = Math.max(0, Math.min(rising, falling));
      if (weight > 0) {
        weights[band * nBins + bin] = weight * scale;
        if (bin < start[band]!) start[band] = bin;
        end[band] = bin + 1;
      }
    }
    if (end[band] === 0) start[band] = 0;
  }
  return { weights, nMels, nBins, start, end };
}

/**
 * One frame of a mel spectrogram: `out[offset + band] = Σ_bin power[bin] · weights[band, bin]` (a column of
 * librosa's `mel_basis @ S`). Called per STFT frame, so the power spectrogram is never stored whole.
 */
export function applyMelFilterbankFrame(power: Float64Array, filterbank: MelFilterbank, out: Float32Array, offset: number): void {
  const { weights, nMels, nBins, start, end } = filterbank;
  if (power.length !== nBins) throw new RangeError(`power frame has ${power.length} bins, expected ${nBins}`);
  for (let band = 0; band < nMels; band++) {
    const w = band * nBins;
    let sum = 0;
    for (let bin = start[band]!, stop = end[band]!; bin < stop; bin++) sum += power[bin]! * weights[w + bin]!;
    out[offset + band] = sum;
  }
}
