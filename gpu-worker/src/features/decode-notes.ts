import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";
import type { DecodeError } from "./decode-error.js";

/**
 * What `curator features` learnt decoding a file, kept beside its feature files and keyed the same way (audio
 * content and parameters): the reason a file was rejected, so later runs report it without decoding it again (a
 * damaged 6-hour file was decoded again on every run), and the warnings its features carry (packets decoded past, a
 * long track cut to its middle).
 */
export interface DecodeNote {
  /** `<kind>: <reason>` of the DecodeError that rejected the file; absent when it decoded. */
  rejected?: string;
  warnings?: string[];
  at: string;
}

/** `<dir>/<content hash[0..2]>/<content hash>.decode.<params hash>.json`, beside the cache's .f32 files. */
export function decodeNotePath(cacheDir: string, contentHash: string, paramsHash: string): string {
  return join(cacheDir, contentHash.slice(0, 2), `${contentHash}.decode.${paramsHash}.json`);
}

export async function readDecodeNote(path: string): Promise<DecodeNote | null> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as DecodeNote;
  } catch {
    return null;
  }
}

export async function writeDecodeNote(path: string, note: Omit<DecodeNote, "at">): Promise<void> {
  await writeFileAtomic(path, Buffer.from(JSON.stringify({ ...note, at: new Date().toISOString() })));
}

/**
 * Whether a rejection is the file's own and worth remembering: a missing file may come back, and so the next run
 * looks again; every other kind (empty, not audio, corrupt, truncated) stays so until the file is replaced.
 */
export function rememberRejection(error: DecodeError): boolean {
  return error.kind !== "missing";
}
