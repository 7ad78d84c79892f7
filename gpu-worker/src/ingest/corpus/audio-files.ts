import { readdir } from "node:fs/promises";
import { extname, join, relative } from "node:path";

/** Container/tracker extensions ffmpeg decodes here (tracker modules through libopenmpt). */
export const AUDIO_EXTENSIONS = new Set([".ogg", ".opus", ".mp3", ".flac", ".wav", ".mod", ".it", ".s3m", ".xm"]);
export const TRACKER_EXTENSIONS = new Set([".mod", ".it", ".s3m", ".xm"]);

export function isAudioFile(path: string): boolean {
  return AUDIO_EXTENSIONS.has(extname(path).toLowerCase());
}

/** Audio files under root as paths relative to it, sorted so that "track2" comes before "track10". */
export async function listAudioFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && isAudioFile(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort(naturalCompare);
}

export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
