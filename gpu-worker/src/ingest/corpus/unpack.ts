import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";
import { execFile } from "../../util/run-tool.js";
import { isAudioFile, naturalCompare } from "./audio-files.js";

/**
 * Unpacks the audio members of a zip (.pk3) next to it and removes the archive; returns the files written. yauzl
 * checks each member's name (no absolute paths, no "..") and its size after inflating.
 */
export async function unpackZipAudio(archive: string): Promise<string[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(archive, { lazyEntries: true }, (err, z) => (err ? reject(new Error(`${archive}: not a readable zip: ${err.message}`)) : resolve(z))),
  );
  const outDir = dirname(archive);
  const written: string[] = [];
  try {
    for await (const entry of zipEntries(zip)) {
      if (entry.fileName.endsWith("/") || !isAudioFile(entry.fileName)) continue;
      const out = join(outDir, entry.fileName);
      await mkdir(dirname(out), { recursive: true });
      const stream = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
      await pipeline(stream, createWriteStream(out));
      written.push(out);
    }
  } catch (err) {
    if (zip.isOpen) zip.close();
    throw new Error(`${archive}: ${(err as Error).message}`);
  }
  if (written.length === 0) throw new Error(`${archive}: no audio members`);
  await rm(archive);
  return written;
}

/** The zip's entries one at a time: the next is read only when the caller asks, so members stream in order. */
async function* zipEntries(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  for (;;) {
    const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
      const cleanup = () => zip.off("entry", onEntry).off("end", onEnd).off("error", onError);
      const onEntry = (e: yauzl.Entry) => (cleanup(), resolve(e));
      const onEnd = () => (cleanup(), resolve(null));
      const onError = (e: Error) => (cleanup(), reject(e));
      zip.on("entry", onEntry).on("end", onEnd).on("error", onError);
      zip.readEntry();
    });
    if (!entry) return;
    yield entry;
  }
}

/** The file a stem folder's mix is written to; the catalogue builder reads song.ini from the same folder. */
export const STEM_MIX_NAME = "mix.ogg";

/**
 * Without these the Ogg muxer picks a random stream serial and stamps the ffmpeg version, so every fetch would
 * give the mix a new sha256 and re-ingesting would see a new track.
 */
const BITEXACT = ["-fflags", "+bitexact", "-flags:a", "+bitexact"];

/**
 * Frets on Fire ships each song as stems (song.ogg, guitar.ogg, sometimes rhythm.ogg) that the game plays together.
 * amix's default 1/N gain keeps the sum from clipping; Vorbis q6 keeps the mix transparent enough for features.
 */
export async function mixStemFolder(folder: string): Promise<string> {
  const stems = (await readdir(folder)).filter((f) => f.endsWith(".ogg") && f !== STEM_MIX_NAME).sort(naturalCompare);
  if (stems.length === 0) throw new Error(`${folder}: song folder without .ogg stems`);
  const out = join(folder, STEM_MIX_NAME);
  const tmp = join(folder, `.${STEM_MIX_NAME}.partial.ogg`);
  if (stems.length === 1) await rename(join(folder, stems[0]!), out);
  else {
    const inputs = stems.flatMap((s) => ["-i", join(folder, s)]);
    await execFile("ffmpeg", ["-hide_banner", "-nostats", "-v", "error", "-y", ...inputs, "-filter_complex",
      `amix=inputs=${stems.length}:duration=longest`, "-c:a", "libvorbis", "-q:a", "6", ...BITEXACT, tmp]);
    await rename(tmp, out);
    await Promise.all(stems.map((s) => rm(join(folder, s))));
  }
  return out;
}

/** Folders under root that hold a Frets on Fire song.ini. */
export async function stemFolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && basename(e.name) === "song.ini").map((e) => e.parentPath).sort(naturalCompare);
}
