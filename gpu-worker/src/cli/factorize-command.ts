import type { Command } from "commander";
import type { Db } from "@curator/db/client.js";
import { runJob } from "../jobs/job.js";
import { runFactorize, type FactorizeOptions, type FactorizeResume } from "../factorize/stage.js";
import type { ConfidenceScale } from "../factorize/confidence.js";
import type { AlsSolver } from "../factorize/als.js";
import { importFactors } from "../factorize/import-stage.js";
import { queueConfigured } from "../queue/boss.js";
import { queueIndexIfActive } from "../queue/enqueue.js";
import { withBoss, withDb } from "./with-db.js";
import { integer, number, oneOf } from "./parse.js";

export function registerFactorizeCommand(program: Command): void {
  program
    .command("import-factors")
    .summary("load CF factors computed elsewhere (CSV)")
    .description("load CF factors computed elsewhere (e.g. Spark MLlib ALS) from CSV rows `id,v1,…,vk` as the active CF set")
    .requiredOption("--items <csv>", "track factors, ids = catalogue track ids")
    .option("--users <csv>", "user factors, ids = listening-data user ids (needed for personalised recommendations)")
    .action(async (opts: { items: string; users?: string }) => {
      await withDb(async (db) => {
        const outcome = await runJob(db, { stage: "import-factors", params: opts }, (job) => importFactors(db, opts, job.id));
        const r = outcome.result;
        console.error(`import-factors: factor set #${r.factorSetId} active: ${r.tracks} tracks (${r.missing} without factors), ${r.users} users`);
        await queueIndexBuild(db, "import-factors", r.factorSetId);
      });
    });

  program
    .command("factorize")
    .summary("CF factors from the listens (implicit ALS)")
    .description("weighted matrix factorisation of the listens (implicit-feedback ALS, Hu/Koren/Volinsky 2008) → CF factors")
    .option("--factors <n>", "latent dimensions (the paper: 40)", integer, 40)
    .option("--iterations <n>", "ALS iterations", integer, 15)
    .option("--regularization <λ>", "L2 regularisation", number, 0.01)
    .option("--alpha <α>", "confidence c = 1 + α·f(plays)", number, 40)
    .option("--confidence <f>", "f: linear (plays) or log (log(1 + plays/ε))", oneOf<ConfidenceScale>(["linear", "log"]), "linear" as ConfidenceScale)
    .option("--epsilon <ε>", "ε of the log confidence", number, 1)
    .option("--solver <solver>", "cg (conjugate gradient, fast) or cholesky (exact, for checking)", oneOf<AlsSolver>(["cg", "cholesky"]), "cg" as AlsSolver)
    .option("--cg-steps <n>", "conjugate-gradient steps per row and half-iteration", integer, 3)
    .option("--seed <n>", "seed of the initial factors", integer, 0)
    .option("--threads <n>", "worker threads (default: all cores)", integer)
    .option("--checkpoint-dir <dir>", "per-iteration checkpoints folder (default data/checkpoints)")
    .option("--resume", "continue the last unfinished fit from its last finished iteration")
    .action(async (opts: CliOptions) => {
      await withDb(async (db) => {
        const { resume, confidence, ...rest } = opts;
        const options: FactorizeOptions = { ...rest, scale: confidence };
        const outcome = await runJob<FactorizeResume, Awaited<ReturnType<typeof runFactorize>>>(db, { stage: "factorize", params: { ...options }, resume }, (job) =>
          runFactorize(db, job, options),
        );
        const r = outcome.result;
        console.error(
          `factorize: factor set #${r.factorSetId} active: ${r.tracks} tracks (${r.coldTracks} cold, no training listens), ${r.users} users, ${r.listens} listens`,
        );
        await queueIndexBuild(db, "factorize", r.factorSetId);
      });
    });
}

/** With the queue in this database, a newly active CF set's search index is built by the index worker, as a predicted set's is. */
async function queueIndexBuild(db: Db, command: string, factorSetId: number): Promise<void> {
  if (queueConfigured() && (await withBoss((boss) => queueIndexIfActive(db, boss, factorSetId)))) {
    console.error(`${command}: index build of set #${factorSetId} queued (index queue, node server/dist/index-worker.js)`);
  }
}

interface CliOptions {
  factors: number;
  iterations: number;
  regularization: number;
  alpha: number;
  confidence: ConfidenceScale;
  epsilon: number;
  solver: AlsSolver;
  cgSteps: number;
  seed: number;
  threads?: number;
  checkpointDir?: string;
  resume?: boolean;
}
