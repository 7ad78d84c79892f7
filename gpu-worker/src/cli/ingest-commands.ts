import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import type { Db } from "@curator/db/client.js";
import { withDb } from "./with-db.js";
import { integer } from "./parse.js";
import { runJob, type JobHandle } from "../jobs/job.js";
import { fetchCorpus } from "../ingest/corpus/fetch.js";
import { parseSubset, type Subset } from "../ingest/corpus/packages.js";
import { buildCatalog } from "../ingest/catalog/build.js";
import { catalogFromCsv, writeCatalogCsv } from "../ingest/catalog/csv.js";
import { readUserCatalog } from "../ingest/catalog/user.js";
import { parseListenFormat, type ListenFormat } from "../ingest/listens/import.js";
import { SIMULATOR_DEFAULTS, SIMULATOR_HELP, simulateListens } from "../ingest/listens/simulate.js";
import { storeCatalog } from "../ingest/store/catalog-store.js";
import { storeListens } from "../ingest/store/listen-store.js";
import { storeListenFile } from "../ingest/store/listen-file.js";
import type { BadItem, CatalogRow } from "../ingest/types.js";
import { dataPaths } from "../paths.js";
import { scanLibrary } from "../ingest/library/scan.js";
import { isExportFormat, type ExportFormat } from "../ingest/listens/formats/export-listen.js";
import { SPOTIFY_MIN_PLAY_MS } from "../ingest/listens/formats/spotify.js";
import { formatMatchReport, importExport } from "../ingest/listens/export-import.js";

const DEFAULT_CORPUS_DIR = dataPaths.corpus();

export function registerIngestCommands(program: Command): void {
  const corpus = program.command("corpus").summary("fetch and describe the Debian music corpus").description("the music corpus from Debian's packages (real, freely licensed recordings)");
  corpus
    .command("fetch")
    .description("download the corpus packages with apt-get download and unpack only their music into --dir")
    .option("--subset <subset>", "default (≈40 tracks, for CI and the demo) or full", parseSubset, "default" as Subset)
    .option("--dir <dir>", "corpus folder", DEFAULT_CORPUS_DIR)
    .action(async (opts: { subset: Subset; dir: string }) => {
      await withDb((db) =>
        runJob(db, { stage: "corpus", params: opts }, async (job) => {
          const out = await fetchCorpus({ subset: opts.subset, dir: opts.dir, onProgress: progressTo(job) });
          await recordBad(job, out.bad);
          const fresh = out.rows.filter((p) => !p.skipped);
          console.error(`corpus: ${out.rows.length} packages present (${fresh.length} fetched now), ${out.bad.length} failed`);
        }),
      );
    });

  corpus
    .command("catalog")
    .description("describe the fetched corpus (ffprobe, credits, licences) into <dir>/catalog.csv and print its figures")
    .option("--subset <subset>", "default or full", parseSubset, "default" as Subset)
    .option("--dir <dir>", "corpus folder", DEFAULT_CORPUS_DIR)
    .action(async (opts: { subset: Subset; dir: string }) => {
      const catalog = await buildCatalog({ subset: opts.subset, dir: opts.dir, onProbed: reportProbes });
      for (const b of catalog.bad) console.error(`  ${b.item}: ${b.reason}`);
      await writeCatalogCsv(join(opts.dir, "catalog.csv"), catalog.rows);
      console.log(JSON.stringify(corpusFigures(catalog.rows)));
    });

  program
    .command("ingest")
    .summary("store a catalogue and listening data")
    .description("store a catalogue (the fetched corpus, or your CSV + audio folder) and listening data")
    .option("--subset <subset>", "corpus subset to ingest when no --catalog is given", parseSubset, "default" as Subset)
    .option("--dir <dir>", "corpus folder", DEFAULT_CORPUS_DIR)
    .option("--library <dir>", "your music folder: tags read, new/changed/moved files followed, deleted ones marked missing (see docs/own-music.md)")
    .option("--catalog <csv>", "your own catalogue: CSV with track_id,artist,album,title,path")
    .option("--audio-dir <dir>", "folder the catalogue's paths are relative to (default: the CSV's folder)")
    .option("--described <csv>", "a catalogue already described elsewhere, in the columns of data/corpus/catalog.csv (audio facts included): stored as is, its audio is not probed")
    .option("--listens <file>", "listening data to import")
    .option("--format <format>", "format of --listens: listenbrainz (export zip/JSON lines), lastfm (scrobble CSV), spotify (Extended Streaming History) — matched by MBID, ISRC, artist + title; or taste-profile (user\\tsong\\tplays), jsonl, csv (user_id,track_id,plays) keyed by track id", (v: string) => (isExportFormat(v) ? v : parseListenFormat(v)))
    .option("--replace", "drop the stored listens of every user in --listens before storing theirs (default: append: a stored user × track pair's plays grow by the file's)")
    .option("--user <name>", "the user of a Last.fm or Spotify export (default: the file name / the export's username)")
    .option("--min-play-ms <ms>", "Spotify: shortest stream that counts as a play", integer, SPOTIFY_MIN_PLAY_MS)
    .option("--dry-run", "match an export against the catalogue and print the report; store no listens")
    .option("--simulate", "simulate listening data from the stored catalogue's metadata (see --help-simulator)")
    .option("--users <n>", "simulated users", integer, SIMULATOR_DEFAULTS.users)
    .option("--seed <n>", "simulator seed", integer, SIMULATOR_DEFAULTS.seed)
    .option("--help-simulator", "print the simulator's assumptions")
    .action(async (opts: IngestOptions) => {
      if (opts.helpSimulator) {
        console.log(SIMULATOR_HELP);
        return;
      }
      if (opts.listens && !opts.format) throw new Error("--listens needs --format listenbrainz|lastfm|spotify|taste-profile|jsonl|csv");
      await withDb((db) => ingest(db, opts));
    });
}

interface IngestOptions {
  subset: Subset;
  dir: string;
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
  helpSimulator?: boolean;
}

async function ingest(db: Db, opts: IngestOptions): Promise<void> {
  await runJob(db, { stage: "ingest", params: { ...opts } }, async (job) => {
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
  });
}

/** A catalogue CSV already described, the user's CSV + audio folder, or the Debian corpus. */
async function catalogInto<C>(job: JobHandle<C>, db: Db, opts: IngestOptions): Promise<void> {
    const catalog = opts.described
      ? { rows: catalogFromCsv(await readFile(opts.described, "utf8"), opts.described), bad: [] }
      : opts.catalog
        ? await readUserCatalog({ csvPath: opts.catalog, audioDir: opts.audioDir ?? join(opts.catalog, ".."), onProgress: progressTo(job) })
        : await buildCatalog({ subset: opts.subset, dir: opts.dir, onProgress: progressTo(job), onProbed: reportProbes });
    await recordBad(job, catalog.bad);
    if (!opts.catalog && !opts.described) await writeCatalogCsv(join(opts.dir, "catalog.csv"), catalog.rows);
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

/** The figures the corpus is described by (README, issue notes). */
function corpusFigures(rows: readonly CatalogRow[]) {
  const tracks = rows.filter((r) => !r.isShort);
  const hours = (list: readonly CatalogRow[]) => list.reduce((s, r) => s + r.durationSec, 0) / 3600;
  return {
    rows: rows.length,
    tracks: tracks.length,
    short: rows.length - tracks.length,
    silent: rows.filter((r) => r.isSilent).map((r) => r.externalId),
    hours: Number(hours(tracks).toFixed(2)),
    hoursAll: Number(hours(rows).toFixed(2)),
    artists: new Set(rows.map((r) => r.artist)).size,
    albums: new Set(rows.map((r) => `${r.albumSource}|${r.album}`)).size,
    licences: [...new Set(rows.map((r) => r.licence))].sort(),
  };
}

function progressTo<C>(job: JobHandle<C>) {
  // Progress records are advisory: a failed write must not abort the batch.
  return (done: number, total: number, item: string) =>
    void job.progress(done, total, item).catch((err: unknown) => console.error(`progress not recorded: ${String(err)}`));
}

async function recordBad<C>(job: JobHandle<C>, bad: readonly BadItem[]): Promise<void> {
  for (const b of bad) await job.bad(b.item, b.reason);
}

function reportProbes(probed: number, reused: number): void {
  console.error(`catalog: ${probed} files probed, ${reused} described from <corpus>/.probes.json (unchanged since probed)`);
}
