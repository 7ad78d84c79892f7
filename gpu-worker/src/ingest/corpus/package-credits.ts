import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import type { CreditsSource } from "./packages.js";
import { parseEtrReadme, parseFofSongIni, parseOpenclonkAuthors, parseStkMusic, parseWarzoneAlbum, type Credit } from "./credits.js";

type Lookup = (fileName: string) => Credit | undefined;

/**
 * Reads the credits file that sits next to an audio file, once per folder. A missing or malformed credits file
 * throws with its path: the caller reports it against the track and falls back to tags.
 */
export class PackageCredits {
  private readonly folders = new Map<string, Promise<Lookup>>();

  constructor(private readonly source: CreditsSource | undefined) {}

  async creditFor(audioPath: string): Promise<Credit | undefined> {
    if (!this.source) return undefined;
    const dir = dirname(audioPath);
    let lookup = this.folders.get(dir);
    if (!lookup) {
      lookup = readFolder(this.source, dir);
      this.folders.set(dir, lookup);
    }
    return (await lookup)(basename(audioPath));
  }
}

async function readFolder(source: CreditsSource, dir: string): Promise<Lookup> {
  const read = async (name: string): Promise<string> => {
    const path = join(dir, name);
    try {
      return await readFile(path, "utf8");
    } catch (e) {
      throw new Error(`credits file ${path}: ${(e as Error).message}`);
    }
  };
  const parsing = async <T>(name: string, parse: (text: string) => T): Promise<T> => {
    const text = await read(name);
    try {
      return parse(text);
    } catch (e) {
      throw new Error(`credits file ${join(dir, name)}: ${(e as Error).message}`);
    }
  };
  switch (source) {
    case "warzone-album-json": {
      // menu.opus sits above the album folders, with no album.json of its own.
      if (!(await readdir(dir)).includes("album.json")) return () => undefined;
      const credits = await parsing("album.json", parseWarzoneAlbum);
      return (f) => credits.get(f);
    }
    case "stk-music-xml": {
      const credits = new Map<string, Credit>();
      for (const name of (await readdir(dir)).filter((f) => f.endsWith(".music"))) {
        const parsed = await parsing(name, parseStkMusic);
        if (parsed) credits.set(parsed.file, parsed.credit);
      }
      return (f) => credits.get(f);
    }
    case "etr-readme": {
      const credits = await parsing("readme", parseEtrReadme);
      return (f) => credits.get(f);
    }
    case "openclonk-authors": {
      const credits = await parsing("authors.txt", parseOpenclonkAuthors);
      return (f) => credits.get(basename(f, extname(f)).replace(/^@/, ""));
    }
    case "fof-song-ini": {
      const credit = await parsing("song.ini", parseFofSongIni);
      return () => credit;
    }
  }
}
