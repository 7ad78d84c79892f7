import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";

/**
 * On-disk feature cache: one float32 file per (audio content, parameter set, mode). Keys hash the file's bytes,
 * not its path, so a moved file hits and a re-encoded one misses; the parameter hash makes any change of
 * front-end parameters miss instead of serving stale features.
 *
 * File layout: 16-byte header "CWF1", uint32 rows, uint32 cols, uint32 reserved (0), then rows × cols float32,
 * all little-endian.
 */
export interface CachedMatrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

const MAGIC = "CWF1";
const HEADER = 16;

/** SHA-256 of a file's bytes, hex, streamed so long tracks don't load whole. */
export function hashFileContent(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

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

export async function writeCachedMatrix(path: string, matrix: CachedMatrix): Promise<void> {
  const { data, rows, cols } = matrix;
  if (data.length !== rows * cols) throw new RangeError(`${data.length} values is not ${rows} × ${cols}`);
  const bytes = Buffer.alloc(HEADER + 4 * data.length);
  bytes.write(MAGIC, 0, "latin1");
  bytes.writeUInt32LE(rows, 4);
  bytes.writeUInt32LE(cols, 8);
  for (let i = 0; i < data.length; i++) bytes.writeFloatLE(data[i]!, HEADER + 4 * i);
  await writeFileAtomic(path, bytes);
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
  if (bytes.length < HEADER || bytes.toString("latin1", 0, 4) !== MAGIC) {
    throw new Error(`${path}: not a feature cache file`);
  }
  const rows = bytes.readUInt32LE(4);
  const cols = bytes.readUInt32LE(8);
  if (bytes.length !== HEADER + 4 * rows * cols) {
    throw new Error(`${path}: header says ${rows} × ${cols} but holds ${(bytes.length - HEADER) / 4} values`);
  }
  if (expectCols !== undefined && cols !== expectCols) throw new Error(`${path}: ${cols} columns, expected ${expectCols}`);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = bytes.readFloatLE(HEADER + 4 * i);
  return { data, rows, cols };
}
