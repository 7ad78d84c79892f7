import { runTool } from "../../util/run-tool.js";

/**
 * Chromaprint similarity of two raw fingerprints (fpcalc -raw: one 32-bit sub-fingerprint per ~0.124 s): the best
 * share of equal bits over alignments within `maxShift` items, counting only alignments that overlap by at least
 * half the shorter print. The same recording in two encodings scores above 0.9; unrelated music near 0.5, since
 * random bits agree half the time. Pure; AcoustID compares fingerprints the same way (bit error rate per offset).
 */
export function fingerprintSimilarity(a: Uint32Array, b: Uint32Array, maxShift = 80): number {
  const minOverlap = Math.max(1, Math.floor(Math.min(a.length, b.length) / 2));
  let best = 0;
  for (let shift = -maxShift; shift <= maxShift; shift++) {
    const start = Math.max(0, -shift);
    const end = Math.min(a.length, b.length - shift);
    const overlap = end - start;
    if (overlap < minOverlap) continue;
    let differing = 0;
    for (let i = start; i < end; i++) differing += popcount((a[i]! ^ b[i + shift]!) >>> 0);
    best = Math.max(best, 1 - differing / (32 * overlap));
  }
  return best;
}

/** Above this, two fingerprints are taken as one recording (measured in test/integration/library-scan.test.ts). */
export const SAME_RECORDING_SIMILARITY = 0.9;

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The first 120 s of a file as a raw Chromaprint fingerprint (Debian's fpcalc, libchromaprint-tools). */
export async function fingerprintFile(path: string): Promise<Uint32Array> {
  const run = await runTool("fpcalc", ["-raw", "-json", "-length", "120", path]);
  // fpcalc complains about a truncated last MP3 frame on stderr and still prints a fingerprint: its JSON decides.
  let json: { fingerprint?: number[] };
  try {
    json = JSON.parse(run.stdout.toString("utf8")) as { fingerprint?: number[] };
  } catch {
    throw new Error(`fpcalc could not fingerprint the audio: ${run.stderr.trim().split("\n").slice(-1)[0] ?? `exit ${run.exitCode}`}`);
  }
  if (!json.fingerprint?.length) throw new Error("fpcalc returned an empty fingerprint (too short or silent?)");
  return Uint32Array.from(json.fingerprint);
}

export const fingerprintBytes = (fp: Uint32Array): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(fp.length * 4);
  const view = new DataView(out.buffer);
  fp.forEach((v, i) => view.setUint32(i * 4, v, true));
  return out;
};

export const fingerprintFromBytes = (bytes: Uint8Array): Uint32Array => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Uint32Array.from({ length: bytes.byteLength >> 2 }, (_, i) => view.getUint32(i * 4, true));
};
