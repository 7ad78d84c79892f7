import type { MapPoint, PackedMapPoints } from "./queries";

function bytes(base64: string): ArrayBuffer {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out.buffer;
}

/** The API's typed-array columns back into point objects (album id 0 means none: ids start at 1). */
export function unpackPoints(packed: PackedMapPoints): MapPoint[] {
  const ids = new Int32Array(bytes(packed.ids));
  const xs = new Float32Array(bytes(packed.xs));
  const ys = new Float32Array(bytes(packed.ys));
  const artistIds = new Int32Array(bytes(packed.artistIds));
  const albumIds = new Int32Array(bytes(packed.albumIds));
  const cold = new Uint8Array(bytes(packed.cold));
  return Array.from({ length: packed.count }, (_, i) => ({
    id: ids[i]!,
    x: xs[i]!,
    y: ys[i]!,
    artistId: artistIds[i]!,
    albumId: albumIds[i] || null,
    cold: cold[i] === 1,
  }));
}
