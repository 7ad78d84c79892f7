import { mkdtemp, mkdir, readFile, rename, rm, stat, writeFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { BatchResult, OnProgress } from "../types.js";
import { aptDownload, extractDeb, listDeb, membersMatching } from "./deb.js";
import { packagesFor, type CorpusPackage, type Subset } from "./packages.js";
import { mixStemFolder, stemFolders, unpackZipAudio } from "./unpack.js";

/** Written last into data/corpus/<package>/: its presence means the package is complete and is skipped next time. */
export const STAMP_FILE = ".fetched.json";

export interface FetchedPackage {
  package: string;
  /** The .deb file name (carries the version). */
  deb: string;
  debBytes: number;
  /** Files and bytes kept under data/corpus/<package>/ after unpacking. */
  files: number;
  bytes: number;
  seconds: number;
  /** True when the stamp was already there and nothing was downloaded. */
  skipped: boolean;
}

export interface FetchOptions {
  subset: Subset;
  /** The corpus root, e.g. data/corpus. */
  dir: string;
  onProgress?: OnProgress;
}

export async function fetchCorpus(opts: FetchOptions): Promise<BatchResult<FetchedPackage>> {
  const packages = packagesFor(opts.subset);
  const result: BatchResult<FetchedPackage> = { rows: [], bad: [] };
  await mkdir(opts.dir, { recursive: true });
  for (const [i, pkg] of packages.entries()) {
    try {
      result.rows.push(await fetchPackage(pkg, opts.dir));
    } catch (e) {
      result.bad.push({ item: pkg.name, reason: (e as Error).message });
    }
    opts.onProgress?.(i + 1, packages.length, pkg.name);
  }
  return result;
}

/** Fetches one corpus package into `<root>/<name>` unless its stamp says it is there already. */
export async function fetchPackage(pkg: CorpusPackage, root: string): Promise<FetchedPackage> {
  const dest = join(root, pkg.name);
  const stamp = await readStamp(dest);
  if (stamp) return { ...stamp, skipped: true };
  const started = Date.now();
  const tmp = await mkdtemp(join(tmpdir(), `corpus-${pkg.name}-`));
  // Unpacking goes to a side folder renamed at the end, so an interrupted run leaves nothing that looks complete.
  const staging = `${dest}.partial`;
  try {
    const deb = await aptDownload(pkg.name, tmp);
    const debBytes = (await stat(deb)).size;
    const matched = membersMatching(await listDeb(deb), pkg.members);
    const missing = pkg.members.filter((g) => membersMatching(matched, [g]).length === 0);
    if (missing.length > 0) throw new Error(`${basename(deb)} has no member matching ${missing.join(", ")}`);
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await extractDeb(deb, pkg.members, staging);
    await rm(tmp, { recursive: true, force: true });
    if (pkg.zipArchive) await unpackZipAudio(join(staging, pkg.zipArchive));
    if (pkg.stems) for (const folder of await stemFolders(staging)) await mixStemFolder(folder);
    const { files, bytes } = await folderSize(staging);
    const record: FetchedPackage = { package: pkg.name, deb: basename(deb), debBytes, files, bytes, seconds: (Date.now() - started) / 1000, skipped: false };
    await writeFile(join(staging, STAMP_FILE), JSON.stringify(record, null, 2) + "\n");
    await rm(dest, { recursive: true, force: true });
    await rename(staging, dest);
    return record;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export async function readStamp(packageDir: string): Promise<FetchedPackage | undefined> {
  try {
    return JSON.parse(await readFile(join(packageDir, STAMP_FILE), "utf8")) as FetchedPackage;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`${join(packageDir, STAMP_FILE)}: unreadable stamp (${(e as Error).message}); delete the folder to refetch`);
  }
}

async function folderSize(dir: string): Promise<{ files: number; bytes: number }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  let files = 0;
  let bytes = 0;
  for (const e of entries) {
    if (!e.isFile()) continue;
    files++;
    bytes += (await stat(join(e.parentPath, e.name))).size;
  }
  return { files, bytes };
}
