import type PgBoss from "pg-boss";
import type { Db, FeatureMode } from "@curator/db/client.js";
import { JobCancelledError, runJob } from "../jobs/job.js";
import { featureModes, runFeatures, type FeaturesOptions } from "../features/stage.js";
import { runFactorize, type FactorizeOptions, type FactorizeResume } from "../factorize/stage.js";
import { queueIndexIfActive } from "./enqueue.js";
import { QUEUED_STAGES } from "./stage-names.js";

type QueuedStage = (typeof QUEUED_STAGES)[number];

/** Where features go on this worker's machine (shared storage when workers run on several). */
export type StageDirs = Pick<FeaturesOptions, "cacheDir" | "pictureDir"> & { checkpointDir?: string };

/**
 * Runs one API-queued Job row in place (its id, progress and bad items are the ones the workbench shows). A row
 * that already finished is left alone, so a redelivered queue job cannot run a stage twice; a row left RUNNING or
 * FAILED by a dead or failed attempt runs again from its checkpoint. Params are the JSON options of
 * `curator <stage>`; bad ones fail the row with the reason and are not retried. A factorize run queues the index
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
  let params: Record<string, unknown>;
  try {
    params = parseParams(row.stage, JSON.parse(row.params));
  } catch (err) {
    await db.job.update({ where: { id: jobId }, data: { status: "FAILED", error: `params: ${(err as Error).message}`, finishedAt: new Date() } });
    return "bad params";
  }
  try {
    return await runStage(db, boss, row.stage as QueuedStage, jobId, params, dirs);
  } catch (err) {
    // Cancelled from the workbench: the row says so, and a retry of the queue job would find it CANCELLED anyway.
    if (err instanceof JobCancelledError) return "CANCELLED";
    throw err;
  }
}

async function runStage(db: Db, boss: PgBoss, stage: QueuedStage, jobId: number, params: Record<string, unknown>, dirs: StageDirs): Promise<string> {
  if (stage === "features") {
    const modes = params.modes as FeatureMode[];
    const outcome = await runJob(db, { stage, jobId, quiet: true }, (job) => runFeatures(db, job, { modes, cacheDir: dirs.cacheDir, pictureDir: dirs.pictureDir }));
    return outcome.status;
  }
  const options = { ...(params as FactorizeOptions), ...(dirs.checkpointDir ? { checkpointDir: dirs.checkpointDir } : {}) };
  const outcome = await runJob<FactorizeResume, unknown>(db, { stage, jobId, quiet: true }, (job) => runFactorize(db, job, options));
  await queueIndexesOfJob(db, boss, jobId);
  return outcome.status;
}

/** Queues the index builds of the factor sets a job made that are active (the id derives from the set: once each). */
async function queueIndexesOfJob(db: Db, boss: PgBoss, jobId: number): Promise<void> {
  for (const set of await db.factorSet.findMany({ where: { jobId }, select: { id: true } })) await queueIndexIfActive(db, boss, set.id);
}

const FACTORIZE_NUMBERS = ["factors", "iterations", "regularization", "alpha", "epsilon", "cgSteps", "seed", "threads"] as const;

/** Checks and converts the CLI-shaped params of a stage; throws with the offending key named. */
export function parseParams(stage: string, raw: unknown): Record<string, unknown> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error("not a JSON object");
  const p = raw as Record<string, unknown>;
  const known = (keys: readonly string[]) => {
    const extra = Object.keys(p).filter((k) => !keys.includes(k));
    if (extra.length) throw new Error(`unknown option(s) ${extra.join(", ")} for ${stage} (known: ${keys.join(", ")})`);
  };
  if (stage === "features") {
    known(["mode", "modes"]);
    const mode = p.mode ?? "both";
    if (p.modes !== undefined) {
      if (!Array.isArray(p.modes) || p.modes.length === 0 || !p.modes.every((m) => m === "MIDDLE" || m === "WHOLE")) throw new Error(`modes must list MIDDLE and/or WHOLE`);
      return { modes: p.modes };
    }
    if (mode !== "middle" && mode !== "whole" && mode !== "both") throw new Error(`mode must be middle, whole or both, got ${JSON.stringify(mode)}`);
    return { modes: featureModes(mode) };
  }
  if (stage === "factorize") {
    known([...FACTORIZE_NUMBERS, "confidence", "solver"]);
    const out: Record<string, unknown> = {};
    for (const key of FACTORIZE_NUMBERS) {
      if (p[key] === undefined) continue;
      if (typeof p[key] !== "number" || !Number.isFinite(p[key])) throw new Error(`${key} must be a number, got ${JSON.stringify(p[key])}`);
      out[key] = p[key];
    }
    if (p.confidence !== undefined) {
      if (p.confidence !== "linear" && p.confidence !== "log") throw new Error(`confidence must be linear or log`);
      out.scale = p.confidence;
    }
    if (p.solver !== undefined) {
      if (p.solver !== "cg" && p.solver !== "cholesky") throw new Error(`solver must be cg or cholesky`);
      out.solver = p.solver;
    }
    return out;
  }
  throw new Error(`no queue handler for stage "${stage}"`);
}
