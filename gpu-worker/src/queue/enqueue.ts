import type PgBoss from "pg-boss";
import type { Db, FeatureMode } from "@curator/db/client.js";
import { FEATURE_PARAMS_HASH } from "../features/stage.js";
import { batchKey, splitIntoBatches, type FeatureBatch } from "./batches.js";
import { QUEUED_STAGES } from "../stages.js";
import { stableUuid } from "./queues.js";

export interface SendOptions {
  /** Lease: a job running longer than this is taken to be dead and handed to another worker. */
  expireInSeconds?: number;
  retryLimit?: number;
  retryDelay?: number;
}

export interface EnqueueFeaturesResult {
  /** Tracks missing at least one of the modes. */
  tracks: number;
  batches: number;
  /** Batches newly queued; the rest were already waiting or running. */
  sent: number;
}

/**
 * Splits the tracks still missing features into batches of `batchSize` ids (in id order) and queues each once.
 * Tracks already cached are left out here, and a worker skips any that got cached meanwhile.
 */
export async function enqueueFeatures(db: Db, boss: PgBoss, modes: FeatureMode[], batchSize: number, send: SendOptions = {}): Promise<EnqueueFeaturesResult> {
  const tracks = await db.track.findMany({
    select: { id: true, features: { where: { paramsHash: FEATURE_PARAMS_HASH }, select: { mode: true } } },
    orderBy: { id: "asc" },
  });
  const todo = tracks.filter((t) => modes.some((m) => !t.features.some((f) => f.mode === m))).map((t) => t.id);
  const batches = splitIntoBatches(todo, batchSize);
  let sent = 0;
  for (const trackIds of batches) {
    const batch: FeatureBatch = { trackIds, modes, paramsHash: FEATURE_PARAMS_HASH };
    const id = await boss.send("features", batch, { singletonKey: batchKey(batch), ...sendOptions(send) });
    if (id !== null) sent++;
  }
  return { tracks: todo.length, batches: batches.length, sent };
}

/**
 * Queues the index build of every active factor set (for `node server/dist/index-worker.js`); the job id derives
 * from the set, as when a predicted set's last batch queues it, so a set is queued once.
 */
export async function enqueueIndexBuilds(db: Db, boss: PgBoss, send: SendOptions = {}): Promise<{ sets: number[]; sent: number }> {
  const active = await db.activeFactorSet.findMany({ orderBy: { kind: "asc" } });
  let sent = 0;
  for (const { factorSetId } of active) {
    const id = await boss.send("index", { factorSetId }, { ...indexJobOptions(factorSetId), ...sendOptions(send) });
    if (id !== null) sent++;
  }
  return { sets: active.map((a) => a.factorSetId), sent };
}

/**
 * Queues the index build of the set if it is the active one, after whatever activated it (a predicted set's last batch,
 * factorize, import-factors). The job id derives from the set, so the batch that activated it and any redelivery of a finished batch
 * (a worker killed between the commit and this send) queue it once.
 */
export async function queueIndexIfActive(db: Db, boss: PgBoss, factorSetId: number): Promise<boolean> {
  const set = await db.factorSet.findUnique({ where: { id: factorSetId }, select: { status: true, active: { select: { kind: true } } } });
  if (set?.status !== "READY" || set.active.length === 0) return false;
  await boss.send("index", { factorSetId }, indexJobOptions(factorSetId));
  return true;
}

export function indexJobOptions(factorSetId: number): PgBoss.SendOptions {
  return { id: stableUuid(`index:set${factorSetId}`), singletonKey: `index:set${factorSetId}` };
}

export interface EnqueueJobsResult {
  sent: number;
  /** Stages of QUEUED rows no worker handles; those rows stay QUEUED for `curator <stage>`. */
  unhandled: { jobId: number; stage: string }[];
}

/**
 * Hands the Job rows the API's startJob left QUEUED to the `jobs` queue. The pg-boss id is derived from the row
 * id, so repeating this (every worker polls it) never queues a row twice.
 */
export async function enqueueApiJobs(db: Db, boss: PgBoss, send: SendOptions = {}): Promise<EnqueueJobsResult> {
  const rows = await db.job.findMany({ where: { status: "QUEUED" }, select: { id: true, stage: true }, orderBy: { id: "asc" } });
  const result: EnqueueJobsResult = { sent: 0, unhandled: [] };
  for (const row of rows) {
    if (!QUEUED_STAGES.includes(row.stage)) {
      result.unhandled.push({ jobId: row.id, stage: row.stage });
      continue;
    }
    const id = await boss.send("jobs", { jobId: row.id }, { id: stableUuid(`job:${row.id}`), singletonKey: `job:${row.id}`, ...sendOptions(send) });
    if (id !== null) result.sent++;
  }
  return result;
}

export function sendOptions(send: SendOptions): PgBoss.SendOptions {
  return {
    ...(send.expireInSeconds !== undefined ? { expireInSeconds: send.expireInSeconds } : {}),
    ...(send.retryLimit !== undefined ? { retryLimit: send.retryLimit } : {}),
    ...(send.retryDelay !== undefined ? { retryDelay: send.retryDelay } : {}),
  };
}
