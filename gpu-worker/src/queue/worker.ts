import type PgBoss from "pg-boss";
import type { Db } from "@curator/db/client.js";
import { runJob } from "../jobs/job.js";
import { FEATURE_PARAMS_HASH, runFeatures } from "../features/stage.js";
import { batchKey, type FeatureBatch } from "./batches.js";
import { enqueueApiJobs } from "./enqueue.js";
import { closeAbandonedAttempts } from "./attempts.js";
import { logEvent } from "./events.js";
import { predictBatch, RunModels } from "./predict-batch.js";
import type { PredictBatchRef } from "./predict-plan.js";
import type { WorkerQueueName } from "./queues.js";
import { runQueuedJob, type StageDirs } from "./stage-jobs.js";

export interface WorkerOptions extends StageDirs {
  queues: WorkerQueueName[];
  /** Queue jobs this process runs at once (per queue); each features batch decodes one track at a time. */
  concurrency: number;
  pollingSeconds?: number;
}

/**
 * Pulls work until `stop` resolves, then stops taking jobs and lets running ones finish. A process that dies
 * instead (kill -9, power loss) holds its jobs only until their lease (expireInSeconds) runs out: the maintenance
 * pass of any live worker then puts them back for retry, and the retried batch skips tracks already cached.
 */
export async function runWorker(db: Db, boss: PgBoss, options: WorkerOptions, stop: Promise<void>): Promise<void> {
  const work: PgBoss.WorkOptions = { batchSize: 1, ...(options.pollingSeconds !== undefined ? { pollingIntervalSeconds: options.pollingSeconds } : {}) };
  const models = new RunModels(db);
  for (let i = 0; i < options.concurrency; i++) {
    if (options.queues.includes("features")) {
      await boss.work<FeatureBatch>("features", { ...work, includeMetadata: true }, async ([job]) => featureBatch(db, job!, options));
    }
    if (options.queues.includes("predict")) {
      await boss.work<PredictBatchRef>("predict", { ...work, includeMetadata: true }, async ([job]) => predictBatch(db, boss, models, job!));
    }
    if (options.queues.includes("jobs")) {
      await boss.work<{ jobId: number }>("jobs", { ...work, includeMetadata: true }, async ([job]) => {
        logEvent({ event: "batch", queue: "jobs", key: `job:${job!.data.jobId}`, queueJob: job!.id, attempt: job!.retryCount + 1, tracks: 0 });
        const outcome = await runQueuedJob(db, boss, job!.data.jobId, options);
        logEvent({ event: "job", jobId: job!.data.jobId, stage: "queued", outcome });
        return { outcome };
      });
    }
  }
  // The API only writes QUEUED rows; a worker serving `jobs` moves them onto the queue (idempotent, see enqueueApiJobs).
  const feed = options.queues.includes("jobs") ? setInterval(() => void enqueueApiJobs(db, boss).catch((err: unknown) => console.error(`queue: ${String(err)}`)), 5000) : undefined;
  await stop;
  if (feed) clearInterval(feed);
  await boss.stop({ graceful: true, wait: true, timeout: 60_000 });
}

/** Job rows of queue batches: one per attempt, apart from `features` so `curator features --resume` never picks one. */
export const BATCH_STAGE = "features-batch";

async function featureBatch(db: Db, job: PgBoss.JobWithMetadata<FeatureBatch>, dirs: StageDirs) {
  const batch = job.data;
  const key = batchKey(batch);
  // A batch planned under other feature parameters would fill the cache with rows nobody asked for.
  if (batch.paramsHash !== FEATURE_PARAMS_HASH) {
    throw new Error(`batch ${key} was planned for feature parameters ${batch.paramsHash}, this worker computes ${FEATURE_PARAMS_HASH}: run the same version`);
  }
  const attempt = job.retryCount + 1;
  logEvent({ event: "batch", queue: "features", key, queueJob: job.id, attempt, tracks: batch.trackIds.length });
  if (attempt > 1) await closeAbandonedAttempts(db, BATCH_STAGE, job.id, attempt);
  const outcome = await runJob(db, { stage: BATCH_STAGE, params: { queueJob: job.id, batch: key, attempt, tracks: batch.trackIds.length, modes: batch.modes }, quiet: true }, (handle) =>
    runFeatures(db, handle, {
      trackIds: batch.trackIds,
      modes: batch.modes,
      concurrency: 1,
      cacheDir: dirs.cacheDir,
      pictureDir: dirs.pictureDir,
      onTrack: (trackId, result) => logEvent({ event: "track", trackId, outcome: result, key }),
    }),
  );
  logEvent({ event: "batch-done", key, ...outcome.result, status: outcome.status });
  return outcome.result;
}
