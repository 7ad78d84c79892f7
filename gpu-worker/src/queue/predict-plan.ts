import type PgBoss from "pg-boss";
import type { Db, FactorKind } from "@curator/db/client.js";
import { FEATURE_PARAMS_HASH } from "../features/stage.js";
import { findRun, runParams } from "../model/run-record.js";
import { predictedKind } from "@curator/db/factor-sets.js";
import { predictFeatureMode, type PredictMode } from "../model/stage-predict.js";
import { createFactorSet } from "../storage/factor-sets.js";
import { splitIntoBatches } from "./batches.js";
import { sendOptions, type SendOptions } from "./enqueue.js";
import { stableUuid } from "./queues.js";

/** What one `predict` queue job carries: the batch is read from its FactorSetBatch row. */
export interface PredictBatchRef {
  factorSetId: number;
  batch: number;
}

/** What a set planned for the queue records in FactorSet.params: the keys of a direct `curator predict`, and the batch size. */
export interface QueuedPredictParams {
  modelRunId: number;
  mode: PredictMode;
  passes: number;
  checkpoint: string;
  cfFactorSetId: number;
  batchSize: number;
}

export interface EnqueuePredictOptions {
  runId?: number;
  mode: PredictMode;
  passes: number;
  batchSize: number;
  /** Drop a set of this kind still being built under other options instead of refusing. */
  replace?: boolean;
}

export interface EnqueuePredictResult {
  factorSetId: number;
  /** True when an unfinished set with the same options was found and its undone batches sent again. */
  resumed: boolean;
  tracks: number;
  batches: number;
  /** Batches newly queued; the rest were done, or already waiting or running. */
  sent: number;
}

export function predictBatchKey(ref: PredictBatchRef): string {
  return `predict:set${ref.factorSetId}:${ref.batch}`;
}

/**
 * Plans a predicted factor set as track batches for `curator worker` processes: one BUILDING set with a
 * FactorSetBatch row per batch of tracks that have cached features (in id order), in one transaction, then one
 * queue job per batch. The active set of the kind keeps being served until the last batch's transaction activates
 * the new one. Run again, it finds the unfinished set planned with the same options and sends its undone batches
 * (derived job ids make batches still waiting or running no-ops), so a planner killed between the transaction and
 * the sends, or batches that used up their retries, are taken up again.
 */
export async function enqueuePredict(db: Db, boss: PgBoss, options: EnqueuePredictOptions, send: SendOptions = {}): Promise<EnqueuePredictResult> {
  const run = await findRun(db, options.runId);
  if (run.status !== "READY") throw new Error(`model run #${run.id} is ${run.status}, not READY: finish \`curator train\` first`);
  const { model, cfFactorSetId, audioModel } = runParams(run);
  if (audioModel?.backing === "mfcc-baseline") {
    // The queue splits convnet forward passes over workers; the baseline scores a catalogue in one process.
    throw new Error(`model run #${run.id} is backed by its MFCC baseline (it ranked the validation tracks better): run \`curator predict\` instead of the queue`);
  }
  const kind = predictedKind(options.mode);
  if (!run.checkpointPath) throw new Error(`model run #${run.id} has no checkpoint`);
  const params: QueuedPredictParams = { modelRunId: run.id, mode: options.mode, passes: options.passes, checkpoint: run.checkpointPath, cfFactorSetId, batchSize: options.batchSize };
  let set = await unfinishedPlan(db, kind);
  if (set && !sameParams(set.params, params)) {
    if (!options.replace) {
      throw new Error(`factor set #${set.id} (${kind}) is still being built by workers with other options (${set.params}): wait for it, or pass --replace to drop it`);
    }
    await db.factorSet.delete({ where: { id: set.id } });
    set = undefined;
  }
  const resumed = set !== undefined;
  const factorSetId = set?.id ?? (await plan(db, kind, model.outputDims, params));
  const batches = await db.factorSetBatch.findMany({ where: { factorSetId }, orderBy: { batch: "asc" } });
  let sent = 0;
  for (const row of batches) {
    if (row.doneAt) continue;
    const ref: PredictBatchRef = { factorSetId, batch: row.batch };
    const key = predictBatchKey(ref);
    if ((await boss.send("predict", ref, { id: stableUuid(key), singletonKey: key, ...sendOptions(send) })) !== null) sent++;
  }
  return { factorSetId, resumed, tracks: batches.reduce((n, b) => n + b.tracks, 0), batches: batches.length, sent };
}

async function plan(db: Db, kind: FactorKind, dims: number, params: QueuedPredictParams): Promise<number> {
  const cached = await db.featureCache.findMany({
    where: { mode: predictFeatureMode(params.mode), paramsHash: FEATURE_PARAMS_HASH },
    select: { trackId: true },
    orderBy: { trackId: "asc" },
  });
  if (cached.length === 0) throw new Error(`no track has cached ${params.mode} features: run \`curator features\` (or queue them) first`);
  const batches = splitIntoBatches(cached.map((c) => c.trackId), params.batchSize);
  return db.$transaction(async (tx) => {
    const id = await createFactorSet(tx, { kind, dims, params: { ...params }, modelRunId: params.modelRunId });
    await tx.factorSetBatch.createMany({ data: batches.map((ids, batch) => ({ factorSetId: id, batch, trackIds: JSON.stringify(ids), tracks: ids.length })) });
    return id;
  });
}

async function unfinishedPlan(db: Db, kind: FactorKind) {
  const found = await db.factorSet.findFirst({ where: { kind, status: "BUILDING", batches: { some: {} } }, orderBy: { id: "desc" } });
  return found ?? undefined;
}

function sameParams(stored: string, params: QueuedPredictParams): boolean {
  const old = JSON.parse(stored) as Partial<QueuedPredictParams>;
  return (Object.keys(params) as (keyof QueuedPredictParams)[]).every((k) => old[k] === params[k]);
}
