import { isUtf8 } from "node:buffer";
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import type { BadItem } from "../types.js";
import { TRACKER_EXTENSIONS } from "../corpus/audio-files.js";

/**
 * File name endings taken as audio; anything else in the folder (covers, cue sheets, playlists) is passed over.
 * Tracker modules are decoded by ffmpeg's libopenmpt, as the corpus's are, and played as MP3 renditions.
 */
export const AUDIO_EXTENSIONS = new Set([
  ".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".mp4", ".aac", ".wav", ".aif", ".aiff", ".wma", ".wv", ".ape", ".mpc",
  ...TRACKER_EXTENSIONS,
]);

export interface WalkedFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** "<size>:<mtime ms>": a file whose stamp is the stored one is not read again. */
export const fileStamp = (f: Pick<WalkedFile, "size" | "mtimeMs">): string => `${f.size}:${Math.round(f.mtimeMs)}`;

/**
 * Every audio file under `root`, sorted by path, following symbolic links to folders once (a link back up the
 * tree is reported as a loop, not followed forever). Folders that cannot be read, names that are not UTF-8 (a
 * path Node cannot hand on intact) and dangling links are reported with the reason; the walk goes on.
 */
export async function walkLibrary(root: string): Promise<{ files: WalkedFile[]; bad: BadItem[] }> {
  const files: WalkedFile[] = [];
  const bad: BadItem[] = [];
  const seenDirs = new Set<string>();
  const visit = async (dir: string): Promise<void> => {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (e) {
      bad.push({ item: dir, reason: `cannot resolve folder: ${(e as Error).message}` });
      return;
    }
    if (seenDirs.has(real)) {
      bad.push({ item: dir, reason: `symbolic link loop: ${real} is already scanned` });
      return;
    }
    seenDirs.add(real);
    let names: Buffer[];
    try {
      names = await readdir(dir, { encoding: "buffer" });
    } catch (e) {
      bad.push({ item: dir, reason: `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    for (const raw of names.sort(Buffer.compare)) {
      if (!isUtf8(raw)) {
        bad.push({ item: join(dir, raw.toString("latin1")), reason: "file name is not UTF-8 (rename it: it cannot be stored or played back intact)" });
        continue;
      }
      const name = raw.toString("utf8");
      if (name.startsWith(".")) continue;
      const path = join(dir, name);
      try {
        const link = await lstat(path);
        const target = link.isSymbolicLink() ? await stat(path) : link;
        if (target.isDirectory()) await visit(path);
        else if (target.isFile() && AUDIO_EXTENSIONS.has(extname(name).toLowerCase())) files.push({ path, size: target.size, mtimeMs: target.mtimeMs });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        bad.push({ item: path, reason: code === "ENOENT" ? "dangling symbolic link" : code === "ELOOP" ? "symbolic link loop" : `cannot stat: ${code ?? (e as Error).message}` });
      }
    }
  };
  await visit(root);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, bad };
}
