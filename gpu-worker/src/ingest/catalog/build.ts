import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import PQueue from "p-queue";
import type { BadItem, BatchResult, CatalogRow, OnProgress } from "../types.js";
import type { AudioFacts } from "../probe.js";
import { listAudioFiles } from "../corpus/audio-files.js";
import { readStamp } from "../corpus/fetch.js";
import { copyrightFor, holderName, licenceFor, parseDep5, type CopyrightParagraph } from "../corpus/licence.js";
import { PackageCredits } from "../corpus/package-credits.js";
import { packagesFor, type CorpusPackage, type Subset } from "../corpus/packages.js";
import { corpusRow } from "./corpus-row.js";
import { ProbeCache } from "./probe-cache.js";
import { assignPositions, dropDuplicates, type UnplacedRow } from "./rows.js";

export interface BuildCatalogOptions {
  subset: Subset;
  /** The corpus root that fetchCorpus filled, e.g. data/corpus. */
  dir: string;
  onProgress?: OnProgress;
  /** ffprobe/ffmpeg processes at once (each decodes a whole file for the silence check). */
  concurrency?: number;
  /** How many files were probed now and how many described from the probe cache (unchanged since). */
  onProbed?: (probed: number, reused: number) => void;
}

interface PendingTrack {
  pkg: CorpusPackage;
  relPath: string;
  copyright: string;
  paragraphs: CopyrightParagraph[];
  credits: PackageCredits;
}

/** One row per music file of the fetched packages in the subset; unfetched packages and bad files are reported. */
export async function buildCatalog(opts: BuildCatalogOptions): Promise<BatchResult<CatalogRow>> {
  const root = resolve(opts.dir);
  const bad: BadItem[] = [];
  const pending: PendingTrack[] = [];
  for (const pkg of packagesFor(opts.subset)) {
    const pkgDir = join(root, pkg.name);
    try {
      if (!(await readStamp(pkgDir))) throw new Error(`not fetched (no ${pkgDir}/.fetched.json): run the corpus fetch first`);
      const copyright = await readFile(join(pkgDir, "usr/share/doc", pkg.name, "copyright"), "utf8");
      const paragraphs = parseDep5(copyright);
      const credits = new PackageCredits(pkg.credits);
      for (const relPath of await listAudioFiles(pkgDir)) pending.push({ pkg, relPath, copyright, paragraphs, credits });
    } catch (e) {
      bad.push({ item: pkg.name, reason: (e as Error).message });
    }
  }
  const unplaced: UnplacedRow[] = [];
  const probes = await ProbeCache.open(root);
  const queue = new PQueue({ concurrency: opts.concurrency ?? 2 });
  let done = 0;
  let reused = 0;
  try {
    await queue.addAll(
      pending.map((t) => async () => {
        const audioPath = join(root, t.pkg.name, t.relPath);
        try {
          const { facts, cached } = await probes.describe(audioPath);
          if (cached) reused++;
          unplaced.push(await trackRow(t, audioPath, facts));
        } catch (e) {
          bad.push({ item: audioPath, reason: (e as Error).message });
        }
        opts.onProgress?.(++done, pending.length, audioPath);
      }),
    );
  } finally {
    await probes.save();
  }
  opts.onProbed?.(pending.length - reused, reused);
  const deduped = dropDuplicates(assignPositions(unplaced));
  deduped.rows.sort((a, b) => a.albumSource.localeCompare(b.albumSource) || a.album.localeCompare(b.album) || a.position - b.position);
  return { rows: deduped.rows, bad: [...bad, ...deduped.duplicates.map((d) => ({ item: d.row.audioPath, reason: d.reason }))] };
}

async function trackRow(t: PendingTrack, audioPath: string, facts: AudioFacts): Promise<UnplacedRow> {
  const credit = await t.credits.creditFor(audioPath);
  const match = copyrightFor(t.paragraphs, t.relPath);
  return corpusRow({
    pkg: t.pkg,
    relPath: t.relPath,
    audioPath,
    facts,
    credit,
    licence: licenceFor(match, t.copyright),
    copyrightHolder: match && (match.exact || t.pkg.musicOnly) ? holderName(match.paragraph.copyright) : undefined,
  });
}
