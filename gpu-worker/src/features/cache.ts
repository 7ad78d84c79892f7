import { createHash } from "node:crypto";
import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";

/**
 * On-disk feature cache: one float32 file per (audio content, parameter set, mode). Keys hash the file's bytes,
 * not its path, so a moved file hits and a re-encoded one misses; the parameter hash makes any change of
 * front-end parameters miss instead of serving stale features.
 *
 * File layout: 16-byte header "CWF1", uint32 rows, uint32 cols, uint32 padding (0 unrecorded, as in files written
 * before it was, 1 made from audio of full length, 2 from zero-padded audio), then rows × cols float32, all
 * little-endian. The padding word lets a new database adopt a file instead of recomputing it (the DB row records it).
 */
export interface CachedMatrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

const MAGIC = "CWF1";
const HEADER = 16;
const PADDING_WORDS = [null, false, true] as const;

/** Hash of a parameter object, independent of key order. */
export function hashParams(params: Record<string, unknown>): string {
  const canonical = JSON.stringify(Object.keys(params).sort().map((key) => [key, params[key]]));
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

/** Cache file path: `<dir>/<content hash[0..2]>/<content hash>.<mode>.<params hash>.f32`. */
export function cachePath(directory: string, contentHash: string, mode: string, paramsHash: string): string {
  if (!/^[a-z0-9-]+$/.test(mode)) throw new RangeError(`cache mode must be [a-z0-9-]+, got ${JSON.stringify(mode)}`);
  return join(directory, contentHash.slice(0, 2), `${contentHash}.${mode}.${paramsHash}.f32`);
}

/** Writes a matrix; `padded` says whether it was computed from zero-padded audio (left unrecorded if omitted). */
export async function writeCachedMatrix(path: string, matrix: CachedMatrix, padded?: boolean): Promise<void> {
  const { data, rows, cols } = matrix;
  if (data.length !== rows * cols) throw new RangeError(`${data.length} values is not ${rows} × ${cols}`);
  const bytes = Buffer.alloc(HEADER + 4 * data.length);
  bytes.write(MAGIC, 0, "latin1");
  bytes.writeUInt32LE(rows, 4);
  bytes.writeUInt32LE(cols, 8);
  bytes.writeUInt32LE(padded === undefined ? 0 : padded ? 2 : 1, 12);
  for (let i = 0; i < data.length; i++) bytes.writeFloatLE(data[i]!, HEADER + 4 * i);
  await writeFileAtomic(path, bytes);
}

export interface CachedHeader {
  rows: number;
  cols: number;
  /** Whether the matrix came from zero-padded audio; null where the file does not record it. */
  padded: boolean | null;
}

/**
 * A cache file's header without its values, or null if absent. Throws on a file that isn't one or whose size
 * disagrees with its header (a torn or foreign file).
 */
export async function readCachedHeader(path: string): Promise<CachedHeader | null> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    const header = Buffer.alloc(HEADER);
    const { bytesRead } = await handle.read(header, 0, HEADER, 0);
    const { size } = await handle.stat();
    return parseHeader(path, header.subarray(0, bytesRead), size);
  } finally {
    await handle.close();
  }
}

function parseHeader(path: string, header: Buffer, size: number): CachedHeader {
  if (header.length < HEADER || header.toString("latin1", 0, 4) !== MAGIC) throw new Error(`${path}: not a feature cache file`);
  const rows = header.readUInt32LE(4);
  const cols = header.readUInt32LE(8);
  if (size !== HEADER + 4 * rows * cols) {
    throw new Error(`${path}: header says ${rows} × ${cols} but holds ${(size - HEADER) / 4} values`);
  }
  return { rows, cols, padded: PADDING_WORDS[header.readUInt32LE(12)] ?? null };
}

/**
 * Reads a cached matrix, or null if absent. Throws on a file that isn't one or whose size disagrees with its
 * header, and, where `expectCols` is given, on a column count other than expected.
 */
export async function readCachedMatrix(path: string, expectCols?: number): Promise<CachedMatrix | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const { rows, cols } = parseHeader(path, bytes.subarray(0, HEADER), bytes.length);
  if (expectCols !== undefined && cols !== expectCols) throw new Error(`${path}: ${cols} columns, expected ${expectCols}`);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = bytes.readFloatLE(HEADER + 4 * i);
  return { data, rows, cols };
}
