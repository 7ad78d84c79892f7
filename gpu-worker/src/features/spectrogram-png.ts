import { PNG } from "pngjs";
import { LOG_MEL_DEFAULTS, type MelFrames } from "./logmel.js";
import { hzToMel } from "./mel.js";

// Viridis as Matt Zucker's degree-6 polynomial fit (within ~1/255 of matplotlib's table), sampled to 256 entries.
const VIRIDIS_COEFFICIENTS: ReadonlyArray<readonly [number, number, number]> = [
  [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
  [0.1050930431085774, 1.404613529898575, 1.384590162594685],
  [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
  [-4.634230498983486, -5.799100973351585, -19.33244095627987],
  [6.228269936347081, 14.17993336680509, 56.69055260068105],
  [4.776384997670288, -13.74514537774601, -65.35303263337234],
  [-5.435455855934631, 4.645852612178535, 26.3124352495832],
];
const VIRIDIS = new Uint8Array(256 * 3);
for (let i = 0; i < 256; i++) {
  const t = i / 255;
  for (let c = 0; c < 3; c++) {
    let v = 0;
    for (let p = VIRIDIS_COEFFICIENTS.length - 1; p >= 0; p--) v = v * t + VIRIDIS_COEFFICIENTS[p]![c]!;
    VIRIDIS[i * 3 + c] = Math.round(255 * Math.min(1, Math.max(0, v)));
  }
}

// 3×5 bitmap glyphs, rows top to bottom ("#" = ink): just what tick labels need.
const GLYPHS: Record<string, readonly string[]> = {
  "0": ["###", "# #", "# #", "# #", "###"],
  "1": [" # ", "## ", " # ", " # ", "###"],
  "2": ["###", "  #", "###", "#  ", "###"],
  "3": ["###", "  #", "###", "  #", "###"],
  "4": ["# #", "# #", "###", "  #", "  #"],
  "5": ["###", "#  ", "###", "  #", "###"],
  "6": ["###", "#  ", "###", "# #", "###"],
  "7": ["###", "  #", "  #", "  #", "  #"],
  "8": ["###", "# #", "###", "# #", "###"],
  "9": ["###", "# #", "###", "  #", "###"],
  k: ["#  ", "# #", "## ", "# #", "# #"],
  s: ["   ", "###", "#  ", "  #", "###"],
};

const INK = [255, 255, 255] as const;
const BACKGROUND = [0, 0, 0] as const;

export interface SpectrogramPngOptions {
  sampleRate?: number;
  hopLength?: number;
  fmin?: number;
  fmax?: number;
  /** Value mapped to the colormap's ends. Default the data's min and max. */
  vmin?: number;
  vmax?: number;
  /** Pixels per frame and per mel band. Default 2. */
  scale?: number;
}

const LEFT = 22;
const BOTTOM = 12;
const TOP = 4;
const RIGHT = 8;

function setPixel(png: PNG, x: number, y: number, rgb: readonly [number, number, number] | Uint8Array): void {
  if (x < 0 || y < 0 || x >= png.width || y >= png.height) return;
  const at = (y * png.width + x) * 4;
  png.data[at] = rgb[0]!;
  png.data[at + 1] = rgb[1]!;
  png.data[at + 2] = rgb[2]!;
  png.data[at + 3] = 255;
}

function drawText(png: PNG, text: string, x: number, y: number): void {
  for (const [i, character] of [...text].entries()) {
    const glyph = GLYPHS[character];
    if (glyph === undefined) throw new RangeError(`no glyph for ${JSON.stringify(character)}`);
    for (let row = 0; row < 5; row++) {
      for (let col = 0; col < 3; col++) if (glyph[row]![col] === "#") setPixel(png, x + i * 4 + col, y + row, INK);
    }
  }
}

function hzLabel(hz: number): string {
  return hz >= 1000 ? `${hz / 1000}k` : String(hz);
}

/** Seconds between time ticks: the smallest of 1, 2, 5, 10, 30, 60… leaving at most 8 ticks. */
function timeStep(seconds: number): number {
  for (const step of [1, 2, 5, 10, 30, 60, 120, 300, 600]) if (seconds / step <= 8) return step;
  return 1200;
}

/**
 * A mel spectrogram as a PNG: viridis colours, low bands at the bottom, time ticks in seconds along x and
 * frequency ticks (Hz, at their mel position) along y.
 */
export function spectrogramPng(mel: MelFrames, options: SpectrogramPngOptions = {}): Buffer {
  const {
    sampleRate = LOG_MEL_DEFAULTS.sampleRate,
    hopLength = LOG_MEL_DEFAULTS.hopLength,
    fmin = LOG_MEL_DEFAULTS.fmin,
    fmax = LOG_MEL_DEFAULTS.fmax,
    scale = 2,
  } = options;
  const { data, nFrames, nMels } = mel;
  let { vmin, vmax } = options;
  if (vmin === undefined || vmax === undefined) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of data) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    vmin ??= lo;
    vmax ??= hi;
  }
  const range = vmax > vmin ? vmax - vmin : 1;
  const plotWidth = nFrames * scale;
  const plotHeight = nMels * scale;
  const png = new PNG({ width: LEFT + plotWidth + RIGHT, height: TOP + plotHeight + BOTTOM });
  for (let y = 0; y < png.height; y++) for (let x = 0; x < png.width; x++) setPixel(png, x, y, BACKGROUND);
  for (let frame = 0; frame < nFrames; frame++) {
    for (let band = 0; band < nMels; band++) {
      const level = Math.round((255 * (data[frame * nMels + band]! - vmin)) / range);
      const entry = 3 * Math.min(255, Math.max(0, level));
      const colour = VIRIDIS.subarray(entry, entry + 3);
      const top = TOP + (nMels - 1 - band) * scale;
      for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) setPixel(png, LEFT + frame * scale + dx, top + dy, colour);
    }
  }
  const bottom = TOP + plotHeight;
  const seconds = (nFrames * hopLength) / sampleRate;
  const step = timeStep(seconds);
  for (let t = 0; t <= seconds; t += step) {
    const x = LEFT + Math.round(((t * sampleRate) / hopLength) * scale);
    for (let dy = 0; dy < 3; dy++) setPixel(png, x, bottom + dy, INK);
    drawText(png, `${t}s`, x - 2, bottom + 5);
  }
  // Band centres are evenly spaced in mel from fmin to fmax, nMels + 2 edges in all.
  const melLo = hzToMel(fmin);
  const melStep = (hzToMel(fmax) - melLo) / (nMels + 1);
  for (const hz of [0, 500, 1000, 2000, 4000, 8000, 16000]) {
    if (hz < fmin || hz > fmax) continue;
    const band = (hzToMel(hz) - melLo) / melStep - 1;
    if (band < 0 || band > nMels - 1) continue;
    const y = TOP + Math.round((nMels - 1 - band) * scale + scale / 2);
    for (let dx = 1; dx <= 3; dx++) setPixel(png, LEFT - dx, y, INK);
    const label = hzLabel(hz);
    drawText(png, label, LEFT - 5 - label.length * 4, y - 2);
  }
  return PNG.sync.write(png);
}
