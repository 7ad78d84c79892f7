import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Db } from "@curator/db/client.js";
import type { JobHandle } from "../jobs/job.js";
import { dataPaths } from "../paths.js";
import type { Subset } from "./corpus/packages.js";
import { buildCatalog } from "./catalog/build.js";
import { catalogFromCsv, writeCatalogCsv } from "./catalog/csv.js";
import { readUserCatalog } from "./catalog/user.js";
import type { ListenFormat } from "./listens/import.js";
import { simulateListens } from "./listens/simulate.js";
import { storeCatalog } from "./store/catalog-store.js";
import { storeListens } from "./store/listen-store.js";
import { storeListenFile } from "./store/listen-file.js";
import type { BadItem } from "./types.js";
import { scanLibrary } from "./library/scan.js";
import { isExportFormat, type ExportFormat } from "./listens/formats/registry.js";
import { formatMatchReport, importExport } from "./listens/export-import.js";

/** The parsed options of `curator ingest` (descriptor.ts declares them). */
export interface IngestOptions {
  subset: Subset;
  /** Default: data/corpus. */
  dir?: string;
  library?: string;
  catalog?: string;
  audioDir?: string;
  described?: string;
  listens?: string;
  format?: ListenFormat | ExportFormat;
  replace?: boolean;
  user?: string;
  minPlayMs: number;
  dryRun?: boolean;
  simulate?: boolean;
  users: number;
  seed: number;
}

export type IngestResult = void;

/**
 * `curator ingest`: a catalogue (the Debian corpus, your CSV + audio folder, a described CSV, or your music folder)
 * then listening data (a listens file, a streaming-service export, or simulated listens), each reported as it is
 * stored; bad rows are the job's bad items.
 */
export async function runIngest<C>(db: Db, job: JobHandle<C>, opts: IngestOptions): Promise<IngestResult> {
  if (opts.library) await scanInto(job, db, opts.library);
  else await catalogInto(job, db, opts);
  if (opts.listens && isExportFormat(opts.format!)) await exportInto(job, db, { ...opts, listens: opts.listens, format: opts.format });
  else if (opts.listens) {
    const source = opts.listens;
    const out = await storeListenFile(db, {
      path: source,
      format: opts.format as ListenFormat,
      replace: opts.replace ?? false,
      onChunk: (read) => console.error(`ingest: ${source}: ${read} lines read`),
    });
    for (const d of out.duplicates) {
      console.error(`ingest: ${source}: rows ${d.rows.join(", ")} repeat user "${d.user}" × track "${d.track}": plays summed`);
    }
    await recordBad(job, out.bad);
    console.error(`ingest: ${out.stored} listens by ${out.users} users ${opts.replace ? `stored from ${source}, replacing their ${out.replaced} earlier listens` : `appended from ${source}`}`);
  }
  if (opts.simulate) {
    const tracks = await db.track.findMany({ include: { artist: true, album: true }, orderBy: { id: "asc" } });
    const sim = simulateListens(
      tracks.map((t) => ({
        externalId: t.externalId,
        artist: t.artist.name,
        album: t.album?.title ?? t.artist.name,
        albumSource: t.album?.source ?? "unknown",
        position: t.position ?? 0,
        isShort: t.isShort,
      })),
      { users: opts.users, seed: opts.seed },
    );
    // A simulated history is each user's whole history: simulating again replaces it.
    const out = await storeListens(db, sim.listens, "simulator", { replace: true });
    console.error(
      `ingest: simulated ${out.stored} listens (${sim.stats.plays} plays) by ${out.users} users; ${sim.heldOutTracks.length} tracks held out as the cold-start set`,
    );
  }
}

/** A catalogue CSV already described, the user's CSV + audio folder, or the Debian corpus. */
async function catalogInto<C>(job: JobHandle<C>, db: Db, opts: IngestOptions): Promise<void> {
    const corpusDir = opts.dir ?? dataPaths.corpus();
    const catalog = opts.described
      ? { rows: catalogFromCsv(await readFile(opts.described, "utf8"), opts.described), bad: [] }
      : opts.catalog
        ? await readUserCatalog({ csvPath: opts.catalog, audioDir: opts.audioDir ?? join(opts.catalog, ".."), onProgress: progressTo(job) })
        : await buildCatalog({ subset: opts.subset, dir: corpusDir, onProgress: progressTo(job), onProbed: reportProbes });
    await recordBad(job, catalog.bad);
    if (!opts.catalog && !opts.described) await writeCatalogCsv(join(corpusDir, "catalog.csv"), catalog.rows);
    const stored = await storeCatalog(db, catalog.rows, (done, total) => job.progress(done, total, "storing tracks"));
    await recordBad(job, stored.bad);
    console.error(`ingest: ${catalog.rows.length} catalogue rows: ${stored.inserted} new, ${stored.unchanged} already stored, ${catalog.bad.length + stored.bad.length} bad`);
}

async function scanInto<C>(job: JobHandle<C>, db: Db, dir: string): Promise<void> {
  const out = await scanLibrary(db, { root: dir, onProgress: progressTo(job) });
  await recordBad(job, out.bad);
  console.error(`ingest: ${dir}: ${out.files} audio files: ${out.added} added, ${out.changed} changed, ${out.moved} moved, ${out.missing} missing, ${out.returned} back, ${out.unchanged} unchanged; ${out.sameRecording.length} same recording twice, ${out.bad.length} reported`);
}

async function exportInto<C>(job: JobHandle<C>, db: Db, opts: IngestOptions & { listens: string; format: ExportFormat }): Promise<void> {
  const out = await importExport(db, {
    path: opts.listens,
    format: opts.format,
    user: opts.user,
    minPlayMs: opts.minPlayMs,
    dryRun: opts.dryRun,
    replace: opts.replace,
    onProgress: (plays) => void job.progress(plays, 0, `${plays} plays read`).catch(() => undefined),
  });
  await recordBad(job, out.bad);
  console.log(formatMatchReport(out.report, opts.listens));
  const replaced = opts.replace ? `, replacing their ${out.replaced} earlier (user, track) pairs` : " (appended: --replace drops the users' stored listens first)";
  console.error(opts.dryRun ? "ingest: dry run: no listens stored" : `ingest: ${out.stored} (user, track) pairs stored from ${opts.listens}${replaced}`);
}

export function progressTo<C>(job: JobHandle<C>) {
  // Progress records are advisory: a failed write must not abort the batch.
  return (done: number, total: number, item: string) =>
    void job.progress(done, total, item).catch((err: unknown) => console.error(`progress not recorded: ${String(err)}`));
}

export async function recordBad<C>(job: JobHandle<C>, bad: readonly BadItem[]): Promise<void> {
  for (const b of bad) await job.bad(b.item, b.reason);
}

export function reportProbes(probed: number, reused: number): void {
  console.error(`catalog: ${probed} files probed, ${reused} described from <corpus>/.probes.json (unchanged since probed)`);
}
