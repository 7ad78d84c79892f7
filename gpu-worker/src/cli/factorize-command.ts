import type { Command } from "commander";
import type { Db } from "@curator/db/client.js";
import { runJob } from "../jobs/job.js";
import { factorizeStage } from "../factorize/descriptor.js";
import { importFactors } from "../factorize/import-stage.js";
import { queueConfigured } from "../queue/boss.js";
import { queueIndexIfActive } from "../queue/enqueue.js";
import { withBoss, withDb } from "./with-db.js";
import { registerStageCommand } from "./stage-command.js";

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

  registerStageCommand(program, factorizeStage, async (db, r) => {
    console.error(`factorize: factor set #${r.factorSetId} active: ${r.tracks} tracks (${r.coldTracks} cold, no training listens), ${r.users} users, ${r.listens} listens`);
    await queueIndexBuild(db, "factorize", r.factorSetId);
  });
}

/** With the queue in this database, a newly active CF set's search index is built by the index worker, as a predicted set's is. */
async function queueIndexBuild(db: Db, command: string, factorSetId: number): Promise<void> {
  if (queueConfigured() && (await withBoss((boss) => queueIndexIfActive(db, boss, factorSetId)))) {
    console.error(`${command}: index build of set #${factorSetId} queued (index queue, node server/dist/index-worker.js)`);
  }
}
