import FFT from "fft.js";

/**
 * Hann window as librosa builds it (`scipy.signal.get_window("hann", length, fftbins=True)`).
 * @param length window length in samples (librosa: `n_fft`, default 2048).
 * @param periodic true (default) for the DFT-even window used by spectral analysis, false for the symmetric one.
 */
export function hannWindow(length = 2048, periodic = true): Float64Array {
  const window = new Float64Array(length);
  const denominator = periodic ? length : length - 1;
  for (let n = 0; n < length; n++) window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / denominator);
  return window;
}

/** Frames an un-padded (librosa `center=False`) STFT yields: 614,400 samples → 599 frames at 2048/1024. */
export function frameCount(nSamples: number, nFft = 2048, hopLength = 1024): number {
  return nSamples < nFft ? 0 : 1 + Math.floor((nSamples - nFft) / hopLength);
}

export interface StftOptions {
  /** FFT size, a power of two (fft.js's constraint); librosa `n_fft`. Default 2048. */
  nFft?: number;
  /** Samples between frame starts; librosa `hop_length`. Default 1024. */
  hopLength?: number;
  /** Analysis window of length nFft. Default the periodic Hann window. */
  window?: Float64Array;
}

/** Time-major power spectrogram: `data[frame * nBins + bin]`, nBins = nFft / 2 + 1. */
export interface PowerSpectrogram {
  data: Float32Array;
  nFrames: number;
  nBins: number;
}

// fft.js precomputes its twiddle table per size, so one instance per size serves every call.
const transforms = new Map<number, FFT>();
function fftOfSize(size: number): FFT {
  let fft = transforms.get(size);
  if (fft === undefined) {
    fft = new FFT(size);
    transforms.set(size, fft);
  }
  return fft;
}

/**
 * |STFT|² without centring or padding, as `np.abs(librosa.stft(y, n_fft, hop_length, window, center=False))**2`.
 * Two real frames share one complex FFT (frame a in the real part, frame b in the imaginary part) and are
 * separated through the conjugate symmetry of real spectra: half the FFT work of one transform per frame, which
 * is what keeps fft.js level with numpy's pocketfft. Accumulates in float64, stores float32 like librosa.
 */
export function powerSpectrogram(y: Float32Array, options: StftOptions = {}): PowerSpectrogram {
  const { nFft = 2048, hopLength = 1024, window = hannWindow(nFft) } = options;
  if (window.length !== nFft) throw new RangeError(`window length ${window.length} != nFft ${nFft}`);
  if (!Number.isInteger(hopLength) || hopLength < 1) throw new RangeError(`hopLength must be a positive integer`);
  const nFrames = frameCount(y.length, nFft, hopLength);
  const nBins = nFft / 2 + 1;
  const data = new Float32Array(nFrames * nBins);
  const fft = fftOfSize(nFft);
  // fft.js runs markedly faster on its own plain arrays than on typed arrays.
  const packed: number[] = fft.createComplexArray();
  const spectrum: number[] = fft.createComplexArray();
  for (let a = 0; a < nFrames; a += 2) {
    const b = a + 1;
    const hasB = b < nFrames;
    const offsetA = a * hopLength;
    const offsetB = b * hopLength;
    // The last frame of an odd count pairs with silence; separate loops keep the hot one branch-free.
    if (hasB) {
      for (let n = 0; n < nFft; n++) {
        const w = window[n]!;
        packed[2 * n] = w * y[offsetA + n]!;
        packed[2 * n + 1] = w * y[offsetB + n]!;
      }
    } else {
      for (let n = 0; n < nFft; n++) {
        packed[2 * n] = window[n]! * y[offsetA + n]!;
        packed[2 * n + 1] = 0;
      }
    }
    fft.transform(spectrum, packed);
    const rowA = a * nBins;
    const rowB = hasB ? b * nBins : rowA;
    // Bin 0 pairs with itself; bin k with nFft - k.
    for (let k = 0; k < nBins; k++) {
      const m = k === 0 ? 0 : nFft - k;
      const reK = spectrum[2 * k]!;
      const imK = spectrum[2 * k + 1]!;
      const reM = spectrum[2 * m]!;
      const imM = spectrum[2 * m + 1]!;
      const reSum = reK + reM;
      const imDiff = imK - imM;
      const imSum = imK + imM;
      const reDiff = reK - reM;
      // For a lone frame B is all zeros: writing it first lets A's value overwrite it in the same row.
      data[rowB + k] = 0.25 * (imSum * imSum + reDiff * reDiff);
      data[rowA + k] = 0.25 * (reSum * reSum + imDiff * imDiff);
    }
  }
  return { data, nFrames, nBins };
}
