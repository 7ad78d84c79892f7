import type PgBoss from "pg-boss";
import type { Db } from "@curator/db/client.js";
import { JobCancelledError, runJob } from "../jobs/job.js";
import { parseJobParams } from "../jobs/stage-descriptor.js";
import { queuedStage } from "../stages.js";
import { queueIndexIfActive } from "./enqueue.js";

/** Where features and checkpoints go on this worker's machine (shared storage when workers run on several). */
export interface StageDirs {
  cacheDir?: string;
  pictureDir?: string;
  checkpointDir?: string;
}

/**
 * Runs one API-queued Job row in place (its id, progress and bad items are the ones the workbench shows). A row
 * that already finished is left alone, so a redelivered queue job cannot run a stage twice; a row left RUNNING or
 * FAILED by a dead or failed attempt runs again from its checkpoint. Params are the JSON options of
 * `curator <stage>`, checked against the stage's descriptor; bad ones fail the row with the reason and are not retried. A factorize run queues the index
 * build of the CF set it activated, as a predicted set's last batch does.
 */
export async function runQueuedJob(db: Db, boss: PgBoss, jobId: number, dirs: StageDirs): Promise<string> {
  const row = await db.job.findUnique({ where: { id: jobId } });
  if (!row) return "gone";
  if (!["QUEUED", "RUNNING", "FAILED"].includes(row.status)) {
    // Redelivered after a worker died between the stage's commit and the index send: the send is made here.
    if (row.stage === "factorize") await queueIndexesOfJob(db, boss, jobId);
    return `already ${row.status}`;
  }
  const stage = queuedStage(row.stage);
  let params: Record<string, unknown>;
  try {
    if (!stage) throw new Error(`no queue handler for stage "${row.stage}"`);
    params = parseJobParams(stage, JSON.parse(row.params));
  } catch (err) {
    await db.job.update({ where: { id: jobId }, data: { status: "FAILED", error: `params: ${(err as Error).message}`, finishedAt: new Date() } });
    return "bad params";
  }
  // The worker's own folders fill the stage's local options (never taken from params).
  const local = Object.fromEntries(Object.entries(dirs).filter(([key, value]) => value !== undefined && stage.options[key]?.local));
  try {
    const outcome = await runJob(db, { stage: stage.name, jobId, quiet: true }, (job) => stage.run(db, job, { ...params, ...local }));
    if (stage.name === "factorize") await queueIndexesOfJob(db, boss, jobId);
    return outcome.status;
  } catch (err) {
    // Cancelled from the workbench: the row says so, and a retry of the queue job would find it CANCELLED anyway.
    if (err instanceof JobCancelledError) return "CANCELLED";
    throw err;
  }
}

/** Queues the index builds of the factor sets a job made that are active (the id derives from the set: once each). */
async function queueIndexesOfJob(db: Db, boss: PgBoss, jobId: number): Promise<void> {
  for (const set of await db.factorSet.findMany({ where: { jobId }, select: { id: true } })) await queueIndexIfActive(db, boss, set.id);
}
