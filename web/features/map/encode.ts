import type { MapPoint } from "./queries";

export type ColourBy = "artist" | "album" | "cold" | "flagged";

/** Twelve hues that stay apart on white (Tableau 10 plus two): neighbouring categories rarely share a colour. */
export const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#17becf", "#8c564b"];
/** Two-value colourings: index 0 is "the rest", index 1 the tracks the colouring is about. */
const COLD_PALETTE = ["#4e79a7", "#e15759"];
/** Grey for the rest, so the few flagged tracks stand out wherever they sit. */
export const FLAG_PALETTE = ["#c8c8c8", "#e15759"];

export function paletteFor(by: ColourBy): string[] {
  return by === "cold" ? COLD_PALETTE : by === "flagged" ? FLAG_PALETTE : PALETTE;
}

export interface EncodedMap {
  /** Coordinates scaled into [-1, 1], the space regl-scatterplot draws without scales, aspect ratio kept. */
  x: Float32Array;
  y: Float32Array;
  /** Track id of each point, and the point index of each track id. */
  ids: Int32Array;
  indexOf: Map<number, number>;
}

export function encodePoints(points: readonly MapPoint[]): EncodedMap {
  const n = points.length;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    maxX = Math.max(maxX, p.x);
    minY = Math.min(minY, p.y);
    maxY = Math.max(maxY, p.y);
  }
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  // 5% margin so edge points are not cut by the canvas border.
  const half = (Math.max(maxX - minX, maxY - minY) / 2 || 1) * 1.05;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const ids = new Int32Array(n);
  const indexOf = new Map<number, number>();
  points.forEach((p, i) => {
    x[i] = (p.x - cx) / half;
    y[i] = (p.y - cy) / half;
    ids[i] = p.id;
    indexOf.set(p.id, i);
  });
  return { x, y, ids, indexOf };
}

/**
 * Each point's palette index for a colouring. Artists and albums are numbered in order of first appearance and
 * wrap around the palette: with hundreds of artists no palette keeps all apart, but clusters still read as colours.
 */
export function categories(points: readonly MapPoint[], by: ColourBy, flagged: ReadonlySet<number>): Float32Array {
  const out = new Float32Array(points.length);
  if (by === "cold" || by === "flagged") {
    points.forEach((p, i) => (out[i] = (by === "cold" ? p.cold : flagged.has(p.id)) ? 1 : 0));
    return out;
  }
  const numbers = new Map<number | null, number>();
  points.forEach((p, i) => {
    const key = by === "artist" ? p.artistId : p.albumId;
    let number = numbers.get(key);
    if (number === undefined) numbers.set(key, (number = numbers.size));
    out[i] = number % PALETTE.length;
  });
  return out;
}
