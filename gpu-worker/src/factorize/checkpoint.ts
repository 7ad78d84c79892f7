import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../util/atomic-write.js";

/** What `curator factorize --resume` needs to continue a fit: the factors after the last finished iteration. */
export interface AlsCheckpoint {
  /** Iterations finished (the next one to run). */
  iterations: number;
  users: number;
  items: number;
  factors: number;
  /** Identifies the training matrix, so a resume against changed listens is refused. */
  fingerprint: string;
  userFactors: Float32Array;
  itemFactors: Float32Array;
}

const MAGIC = "curator-als-checkpoint-v1";

/** Header line (JSON) then the user and item factors as float32; written to a temp name then renamed. */
export async function writeAlsCheckpoint(path: string, c: AlsCheckpoint): Promise<void> {
  const header = Buffer.from(
    `${JSON.stringify({ magic: MAGIC, iterations: c.iterations, users: c.users, items: c.items, factors: c.factors, fingerprint: c.fingerprint })}\n`,
  );
  const body = Buffer.concat([header, Buffer.from(c.userFactors.buffer, c.userFactors.byteOffset, c.userFactors.byteLength), Buffer.from(c.itemFactors.buffer, c.itemFactors.byteOffset, c.itemFactors.byteLength)]);
  await writeFileAtomic(path, body);
}

export async function readAlsCheckpoint(path: string): Promise<AlsCheckpoint> {
  const bytes = await readFile(path);
  const newline = bytes.indexOf(10);
  let header: Omit<AlsCheckpoint, "userFactors" | "itemFactors"> & { magic?: string };
  try {
    header = JSON.parse(bytes.subarray(0, newline).toString("utf8"));
  } catch {
    throw new Error(`ALS checkpoint ${path} is corrupt: unreadable header`);
  }
  if (header.magic !== MAGIC) throw new Error(`ALS checkpoint ${path} is not a curator ALS checkpoint`);
  const userLen = header.users * header.factors;
  const itemLen = header.items * header.factors;
  const expected = newline + 1 + 4 * (userLen + itemLen);
  if (bytes.length !== expected) throw new Error(`ALS checkpoint ${path} is truncated: ${bytes.length} bytes, expected ${expected}`);
  const floats = new Float32Array(userLen + itemLen);
  new Uint8Array(floats.buffer).set(bytes.subarray(newline + 1));
  return { ...header, userFactors: floats.slice(0, userLen), itemFactors: floats.slice(userLen) };
}
