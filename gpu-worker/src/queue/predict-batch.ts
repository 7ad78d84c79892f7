import type PgBoss from "pg-boss";
import type { Db } from "@curator/db/client.js";
import { runJob } from "../jobs/job.js";
import { loadTensorflow } from "../model/backend.js";
import { loadFeatureInputs } from "../model/feature-inputs.js";
import { findRun, loadRunModel, type RunModel } from "../model/run-record.js";
import { predictedKind } from "@curator/db/factor-sets.js";
import { predictChunk, predictFeatureMode } from "../model/stage-predict.js";
import { standardize } from "../model/standardize.js";
import { activateFactorSet, writeItemRows } from "../storage/factor-sets.js";
import { closeAbandonedAttempts } from "./attempts.js";
import { queueIndexIfActive } from "./enqueue.js";
import { logEvent } from "./events.js";
import { predictBatchKey, type PredictBatchRef, type QueuedPredictParams } from "./predict-plan.js";

/** Job rows of predict batches: one per attempt, apart from `predict` so `curator predict --resume` never picks one. */
export const PREDICT_BATCH_STAGE = "predict-batch";

// A batch's rows, its done mark and, for the last batch, the activation commit together; at 500 tracks a batch the
// inserts take well under a second, so the limit only guards against a stuck connection.
const TRANSACTION_TIMEOUT_MS = 120_000;

/** "already done": a redelivered batch whose first attempt committed; "set gone": dropped by `enqueue predict --replace`. */
export type PredictBatchOutcome = "written" | "activated" | "already done" | "set gone";

/**
 * The model of the run a worker predicts with, loaded once per process (a queue holds the batches of one set at a
 * time, so the last run is all that is kept).
 */
export class RunModels {
  private current: { runId: number; model: Promise<RunModel> } | undefined;

  constructor(private readonly db: Db) {}

  get(runId: number): Promise<RunModel> {
    if (this.current?.runId !== runId) {
      const previous = this.current?.model;
      const model = (async () => {
        await previous?.then((m) => m.model.dispose(), () => undefined);
        const { tf } = await loadTensorflow();
        return loadRunModel(tf, await findRun(this.db, runId));
      })();
      this.current = { runId, model };
      // A failed load (a checkpoint missing on this machine) is not kept: the next batch tries again.
      model.catch(() => {
        if (this.current?.model === model) this.current = undefined;
      });
    }
    return this.current.model;
  }
}

/**
 * One `predict` queue job: predicts its batch's tracks and, in one transaction, writes their rows and marks the batch
 * done; the transaction that finds no batch left activates the set (READY, the previous set RETIRED, the pointer
 * switched). Every batch transaction takes the set's row lock before counting, so of two batches finishing at once
 * the second counts after the first commits: exactly one activates. A kill before the commit leaves nothing of the
 * batch behind, and the retry after the lease expires starts it afresh; a redelivered batch already marked done is
 * a no-op. Once the set is active an `index` job builds its search index (`node server/dist/index-worker.js`).
 */
export async function predictBatch(db: Db, boss: PgBoss, models: RunModels, job: PgBoss.JobWithMetadata<PredictBatchRef>) {
  const ref = job.data;
  const key = predictBatchKey(ref);
  const attempt = job.retryCount + 1;
  const row = await db.factorSetBatch.findUnique({ where: { factorSetId_batch: ref }, include: { factorSet: true } });
  const trackIds = row ? (JSON.parse(row.trackIds) as number[]) : [];
  logEvent({ event: "batch", queue: "predict", key, queueJob: job.id, attempt, tracks: trackIds.length });
  if (attempt > 1) await closeAbandonedAttempts(db, PREDICT_BATCH_STAGE, job.id, attempt);
  if (!row) return finish(key, "set gone", 0, false);
  if (row.doneAt) return finish(key, "already done", 0, await queueIndexIfActive(db, boss, ref.factorSetId));
  const set = row.factorSet;
  const params = JSON.parse(set.params) as QueuedPredictParams;
  const kind = predictedKind(params.mode);
  const outcome = await runJob(db, { stage: PREDICT_BATCH_STAGE, params: { queueJob: job.id, batch: key, attempt, tracks: trackIds.length }, quiet: true }, async (handle) => {
    const loaded = await models.get(params.modelRunId);
    if (loaded.params.model.outputDims !== set.dims) throw new Error(`model run #${params.modelRunId} predicts ${loaded.params.model.outputDims} factors, set #${set.id} holds ${set.dims}`);
    const { tf } = await loadTensorflow();
    const inputs = await loadFeatureInputs(db, predictFeatureMode(params.mode), loaded.params.model.melBins, (item, reason) => handle.bad(item, reason), trackIds);
    const ids = [...inputs.frames.keys()];
    const tracks = ids.map((id) => standardize(inputs.frames.get(id)!, loaded.params.standardization));
    const part = ids.length > 0 ? await predictChunk(tf, loaded, tracks, params.mode, params.passes) : { factors: new Float32Array(0), spread: new Float32Array(0) };
    return db.$transaction(
      async (tx): Promise<PredictBatchOutcome> => {
        const marked = await tx.factorSetBatch.updateMany({ where: { ...ref, doneAt: null }, data: { doneAt: new Date(), written: ids.length } });
        if (marked.count === 0) return (await tx.factorSet.count({ where: { id: ref.factorSetId } })) > 0 ? "already done" : "set gone";
        await writeItemRows(tx, ref.factorSetId, { dims: set.dims, trackIds: ids, raw: part.factors, spread: part.spread });
        const locked = await tx.factorSet.updateMany({ where: { id: ref.factorSetId, status: "BUILDING" }, data: { status: "BUILDING" } });
        if (locked.count === 0) throw new Error(`factor set #${ref.factorSetId} is no longer building`);
        if ((await tx.factorSetBatch.count({ where: { factorSetId: ref.factorSetId, doneAt: null } })) > 0) return "written";
        if ((await tx.itemFactor.count({ where: { factorSetId: ref.factorSetId } })) === 0) {
          await tx.factorSet.update({ where: { id: ref.factorSetId }, data: { status: "FAILED", completedAt: new Date() } });
          return "written";
        }
        await activateFactorSet(tx, ref.factorSetId, kind);
        return "activated";
      },
      { timeout: TRANSACTION_TIMEOUT_MS, maxWait: TRANSACTION_TIMEOUT_MS },
    );
  });
  if (outcome.result === "activated") logEvent({ event: "activated", factorSetId: ref.factorSetId, kind });
  const indexQueued = outcome.result === "activated" ? await queueIndexIfActive(db, boss, ref.factorSetId) : false;
  return finish(key, outcome.result, outcome.bad.length, indexQueued);
}

/** Logs the batch's end; the returned object is the queue job's output (pg-boss keeps it with the job). */
function finish(key: string, outcome: PredictBatchOutcome, failed: number, indexQueued: boolean) {
  logEvent({ event: "predict-done", key, outcome, failed, indexQueued });
  return { outcome, failed, indexQueued };
}
