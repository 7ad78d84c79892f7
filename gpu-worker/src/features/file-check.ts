import { stat } from "node:fs/promises";
import { DecodeError } from "./decode-error.js";

/** Rejects missing paths, non-files and zero-byte files before any ffmpeg is spawned for them. */
export async function assertReadableFile(path: string): Promise<number> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new DecodeError(path, "not-audio", "not a regular file");
    size = info.size;
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new DecodeError(path, "missing", code === "ENOENT" ? "no such file (ENOENT)" : String(error));
  }
  if (size === 0) throw new DecodeError(path, "empty", "zero-byte file");
  return size;
}
