import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import PQueue from "p-queue";
import { dataPaths } from "@curator/worker/paths.js";
import type { Db } from "@curator/db/client.js";
import { runTool } from "@curator/worker/util/run-tool.js";
import { playbackOf, RENDITION } from "./playable.js";

/** Where renditions are kept: one file per content hash, so a re-ingested or moved file reuses its rendition. */
export function defaultRenditionDir(): string {
  return dataPaths.renditions();
}

// Part of the name, so changing the rendition's settings makes new files instead of serving old ones.
const SETTINGS = `${RENDITION.codec}-q${RENDITION.quality}-${RENDITION.sampleRate}-${RENDITION.channels}ch`;

export function renditionPath(contentHash: string, dir = defaultRenditionDir()): string {
  if (!/^[A-Za-z0-9_-]+$/.test(contentHash)) throw new Error(`content hash "${contentHash}" is not a plain name`);
  return join(dir, `${contentHash}.${SETTINGS}${RENDITION.extension}`);
}

/**
 * Makes browser-playable renditions with ffmpeg (libopenmpt reads tracker modules), once per content hash: a
 * request for one being made waits for that run instead of starting another, and at most `concurrency` ffmpeg
 * processes run at once so a page of previews cannot start fifty. Files are written under a temporary name,
 * fsynced, then renamed, so a crash leaves no half-written rendition to be served.
 */
export class Renditions {
  private readonly running = new Map<string, Promise<string>>();
  private readonly queue: PQueue;

  constructor(
    private readonly dir = defaultRenditionDir(),
    concurrency = 2,
    private readonly ffmpegPath = "ffmpeg",
  ) {
    this.queue = new PQueue({ concurrency });
  }

  /**
   * The rendition's path, made now if missing; rejects with ffmpeg's reason when the source cannot be decoded.
   * A listener's request (priority 1) goes ahead of the background warm-up's (0).
   */
  async get(sourcePath: string, contentHash: string, priority = 1): Promise<string> {
    const target = renditionPath(contentHash, this.dir);
    if (await isFile(target)) return target;
    let made = this.running.get(target);
    if (!made) {
      made = this.queue.add(() => this.make(sourcePath, target), { priority }).finally(() => this.running.delete(target));
      this.running.set(target, made);
    }
    return made;
  }

  private async make(sourcePath: string, target: string): Promise<string> {
    if (await isFile(target)) return target;
    await mkdir(this.dir, { recursive: true });
    const temporary = `${target}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    const args = ["-hide_banner", "-loglevel", "error", "-nostdin", "-i", sourcePath, "-map", "0:a:0", "-vn"];
    args.push("-c:a", RENDITION.codec, "-q:a", String(RENDITION.quality), "-ar", String(RENDITION.sampleRate), "-ac", String(RENDITION.channels));
    args.push("-f", "mp3", temporary);
    try {
      const run = await runTool(this.ffmpegPath, args);
      if (run.exitCode !== 0) throw new Error(`ffmpeg could not make a rendition of ${sourcePath}: ${run.stderr.trim() || `exit ${run.exitCode ?? run.signal}`}`);
      const handle = await open(temporary, "r+");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, target);
      return target;
    } finally {
      await rm(temporary, { force: true });
    }
  }
}

/** Made on first request and kept under data/renditions; one per process so concurrent requests share a run. */
export const processRenditions = new Renditions();

/**
 * Makes every missing rendition in the background, one at a time at low priority, so the first listener of a
 * module rarely waits for ffmpeg (`npm run demo` starts this with the API). A file that cannot be rendered is
 * logged with ffmpeg's reason and skipped; its media request answers the same reason. Resolves when done.
 */
export async function warmRenditions(db: Db, renditions: Renditions = processRenditions, log: (line: string) => void = console.error): Promise<void> {
  const tracks = await db.track.findMany({ select: { id: true, audioPath: true, codec: true, contentHash: true }, orderBy: { id: "asc" } });
  const needed = tracks.filter((t) => playbackOf(t.audioPath, t.codec).rendition);
  const missing = [];
  for (const t of needed) if (!(await isFile(renditionPath(t.contentHash)))) missing.push(t);
  if (missing.length === 0) return;
  log(`api: making ${missing.length} browser renditions (MP3) in the background`);
  let failed = 0;
  for (const t of missing) {
    await renditions.get(t.audioPath, t.contentHash, 0).catch((err: unknown) => {
      failed++;
      log(`api: track ${t.id}: ${err instanceof Error ? err.message : String(err)}`);
    });
  }
  log(`api: renditions ready (${missing.length - failed} made${failed ? `, ${failed} failed` : ""})`);
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile() && s.size > 0, () => false);
}
