// What `describeAudio` found for each corpus file (ffprobe, a full decode for the peak level, sha256), kept in
// <corpus>/.probes.json so `curator corpus catalog` then `curator ingest` probes every file once: an entry is used
// only while the file's size and modification time are those it was probed at.
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describeAudio, type AudioFacts } from "../probe.js";

interface Entry {
  size: number;
  mtimeMs: number;
  facts: AudioFacts;
}

const FILE = ".probes.json";

export class ProbeCache {
  private constructor(
    private readonly path: string,
    private readonly entries: Map<string, Entry>,
    private changed = false,
  ) {}

  /** The cache of the corpus folder `dir`; empty when there is none or it cannot be read (it is only a cache). */
  static async open(dir: string): Promise<ProbeCache> {
    const path = join(dir, FILE);
    let entries = new Map<string, Entry>();
    try {
      entries = new Map(Object.entries(JSON.parse(await readFile(path, "utf8")) as Record<string, Entry>));
    } catch {
      // no cache yet, or a damaged one: probe again
    }
    return new ProbeCache(path, entries);
  }

  /** The file's facts: from the cache when the file is unchanged, else probed now (and remembered). */
  async describe(audioPath: string): Promise<{ facts: AudioFacts; cached: boolean }> {
    let size: number, mtimeMs: number;
    try {
      ({ size, mtimeMs } = await stat(audioPath));
    } catch {
      // describeAudio names a missing or unreadable file the way every stage reports it
      return { facts: await describeAudio(audioPath), cached: false };
    }
    const hit = this.entries.get(audioPath);
    if (hit && hit.size === size && hit.mtimeMs === mtimeMs) return { facts: hit.facts, cached: true };
    const facts = await describeAudio(audioPath);
    this.entries.set(audioPath, { size, mtimeMs, facts });
    this.changed = true;
    return { facts, cached: false };
  }

  /** Writes the cache when something was probed (write-then-rename: a crash leaves the old file or the new one). */
  async save(): Promise<void> {
    if (!this.changed) return;
    const partial = `${this.path}.partial`;
    await writeFile(partial, JSON.stringify(Object.fromEntries(this.entries)));
    await rename(partial, this.path);
    this.changed = false;
  }
}
