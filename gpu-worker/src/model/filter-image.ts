// First-layer filters as a picture: one tile per filter, time along x and mel bands along y (low bands at the
// bottom), blue for negative weights, white for zero, red for positive, each filter scaled by its own largest
// |weight| so that weak filters stay readable.
import { PNG } from "pngjs";

export interface FilterMosaicOptions {
  /** Tiles per row. Default 16. */
  columns?: number;
  /** Pixels per time step (filters are only a few frames wide). Default 4. */
  frameWidth?: number;
  /** Pixels per mel band. Default 1. */
  bandHeight?: number;
  /** Pixels between tiles. Default 2. */
  gap?: number;
}

export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4, row-major from the top. */
  data: Uint8Array;
}

// ColorBrewer RdBu ends: dark blue and dark red, white in the middle.
const NEGATIVE = [33, 102, 172] as const;
const POSITIVE = [178, 24, 43] as const;
const GAP_COLOUR = 96;

/** v in [-1, 1] → RGB on the diverging scale (values outside are clamped). */
export function divergingRgb(v: number): [number, number, number] {
  const t = Math.min(1, Math.abs(v));
  const end = v < 0 ? NEGATIVE : POSITIVE;
  return [0, 1, 2].map((c) => Math.round(255 + (end[c]! - 255) * t)) as [number, number, number];
}

/** `kernel` is the conv1d kernel [kernelWidth, melBins, filters], row-major. */
export function filterMosaic(
  kernel: Float32Array,
  [kernelWidth, melBins, filters]: readonly [number, number, number],
  { columns = 16, frameWidth = 4, bandHeight = 1, gap = 2 }: FilterMosaicOptions = {},
): RgbaImage {
  if (kernel.length !== kernelWidth * melBins * filters) {
    throw new Error(`kernel has ${kernel.length} values, shape ${kernelWidth}×${melBins}×${filters} needs ${kernelWidth * melBins * filters}`);
  }
  const cols = Math.min(columns, filters);
  const rows = Math.ceil(filters / cols);
  const tileWidth = kernelWidth * frameWidth;
  const tileHeight = melBins * bandHeight;
  const width = cols * tileWidth + (cols + 1) * gap;
  const height = rows * tileHeight + (rows + 1) * gap;
  const data = new Uint8Array(width * height * 4).fill(GAP_COLOUR);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  for (let f = 0; f < filters; f++) {
    let scale = 0;
    for (let j = 0; j < kernelWidth * melBins; j++) scale = Math.max(scale, Math.abs(kernel[j * filters + f]!));
    const left = gap + (f % cols) * (tileWidth + gap);
    const top = gap + Math.floor(f / cols) * (tileHeight + gap);
    for (let t = 0; t < kernelWidth; t++) {
      for (let band = 0; band < melBins; band++) {
        const rgb = divergingRgb(scale > 0 ? kernel[(t * melBins + band) * filters + f]! / scale : 0);
        const y0 = top + (melBins - 1 - band) * bandHeight;
        for (let dy = 0; dy < bandHeight; dy++) {
          for (let dx = 0; dx < frameWidth; dx++) {
            const at = ((y0 + dy) * width + left + t * frameWidth + dx) * 4;
            data[at] = rgb[0];
            data[at + 1] = rgb[1];
            data[at + 2] = rgb[2];
          }
        }
      }
    }
  }
  return { width, height, data };
}

export function encodePng(image: RgbaImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  png.data.set(image.data);
  return PNG.sync.write(png);
}
