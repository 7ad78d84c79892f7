import { join } from "node:path";
import { type Command, CommanderError } from "commander";
import { withDb } from "./with-db.js";
import { registerStageCommand } from "./stage-command.js";
import { runJob } from "../jobs/job.js";
import { fetchCorpus } from "../ingest/corpus/fetch.js";
import { parseSubset, type Subset } from "../ingest/corpus/packages.js";
import { buildCatalog } from "../ingest/catalog/build.js";
import { writeCatalogCsv } from "../ingest/catalog/csv.js";
import { SIMULATOR_HELP } from "../ingest/listens/simulate.js";
import { ingestStage } from "../ingest/descriptor.js";
import { progressTo, recordBad, reportProbes } from "../ingest/stage.js";
import type { CatalogRow } from "../ingest/types.js";
import { dataPaths } from "../paths.js";

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

  const ingest = registerStageCommand(program, ingestStage, () => undefined);
  // Prints the simulator's assumptions and runs nothing, so it is the CLI's alone, not an option of the stage.
  ingest.option("--help-simulator", "print the simulator's assumptions").hook("preAction", (command) => {
    if (!command.opts().helpSimulator) return;
    console.log(SIMULATOR_HELP);
    throw new CommanderError(0, "curator.helpSimulator", "");
  });
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
