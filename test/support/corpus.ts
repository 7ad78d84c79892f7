import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CORPUS_PACKAGES } from "@curator/worker/ingest/corpus/packages.js";
import { fetchPackage } from "@curator/worker/ingest/corpus/fetch.js";
import { listAudioFiles } from "@curator/worker/ingest/corpus/audio-files.js";

const corpusDir = join(fileURLToPath(new URL("../../..", import.meta.url)), "data", "corpus");

/**
 * Real recordings for tests that must run on music nobody here made: the two smallest corpus packages (an mp3
 * soundtrack and tracker modules, ≈ 12 MB from Debian's archive), fetched once into data/corpus and reused.
 */
export async function realAudioFiles(perPackage = 1): Promise<string[]> {
  const out: string[] = [];
  for (const name of ["asc-music", "tecnoballz-data"]) {
    const pkg = CORPUS_PACKAGES.find((p) => p.name === name);
    if (!pkg) throw new Error(`corpus package ${name} is no longer in the corpus list`);
    await fetchPackage(pkg, corpusDir);
    const dir = join(corpusDir, name);
    // listAudioFiles returns paths relative to the folder it searched.
    out.push(...(await listAudioFiles(dir)).slice(0, perPackage).map((rel) => join(dir, rel)));
  }
  return out;
}
