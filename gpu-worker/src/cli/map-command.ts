import type { Command } from "commander";
import type { FactorKind } from "@curator/db/client.js";
import { runJob } from "../jobs/job.js";
import { runMap, type MapOptions, type MapResult } from "../map/stage.js";
import { PROJECTIONS, type ProjectionName } from "../map/projections.js";
import { withDb } from "./with-db.js";
import { integer, number, oneOf } from "./parse.js";

const SOURCES = { cf: "CF", "predicted-middle": "PREDICTED_MIDDLE", "predicted-whole": "PREDICTED_WHOLE" } as const satisfies Record<string, FactorKind>;
type Source = keyof typeof SOURCES;

export function registerMapCommand(program: Command): void {
  program
    .command("map")
    .summary("2-D latent map (UMAP) of a factor set")
    .description("2-D latent map (UMAP) of the active factor set → a map layout the workbench plots; replaces the previous one when complete")
    .option("--source <set>", "cf (listening data) or predicted-middle / predicted-whole (the convnet's, covers cold tracks)", oneOf(Object.keys(SOURCES) as Source[]), "cf" as Source)
    .option(
      "--method <name>",
      Object.entries(PROJECTIONS).map(([name, p]) => `${name}: ${p.help}`).join("; "),
      oneOf(Object.keys(PROJECTIONS) as ProjectionName[]),
      "umap" as ProjectionName,
    )
    .option("--neighbors <n>", "UMAP neighbourhood size", integer, 15)
    .option("--min-dist <d>", "UMAP minimum distance between points", number, 0.1)
    .option("--epochs <n>", "optimisation epochs (default: 500 below 10 000 tracks, else 200)", integer)
    .option("--seed <n>", "random seed: same seed and set, same map", integer, 0)
    .action(async (opts: CliOptions) => {
      await withDb(async (db) => {
        const options: MapOptions = {
          kind: SOURCES[opts.source],
          method: opts.method,
          nNeighbors: opts.neighbors,
          minDist: opts.minDist,
          seed: opts.seed,
          ...(opts.epochs !== undefined ? { epochs: opts.epochs } : {}),
        };
        const outcome = await runJob<never, MapResult>(db, { stage: "map", params: { ...options } }, (job) => runMap(db, job, options));
        const r = outcome.result;
        const skipped = r.withoutFactors > 0 ? ` (${r.withoutFactors} tracks without factors left out)` : "";
        console.error(`map: layout #${r.layoutId} of factor set #${r.factorSetId} ready: ${r.points} tracks${skipped}`);
      });
    });
}

interface CliOptions {
  source: Source;
  method: ProjectionName;
  neighbors: number;
  minDist: number;
  epochs?: number;
  seed: number;
}
