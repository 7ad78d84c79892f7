// What a ModelRun row keeps beside its checkpoints (ModelRun.params), and loading a run's best model for the
// stages that use it. The standardisation statistics live here so that predict and activations feed the network
// exactly the inputs it was trained on.
import type { LayersModel } from "@tensorflow/tfjs";
import type { Db } from "@curator/db/client.js";

import type { ModelOptions, PresetName, Tf } from "./architecture.js";
import { loadCheckpoint } from "./checkpoint.js";
import type { AudioModelRecord } from "./model-choice.js";
import { LEGACY_TRAINING, type TrainingOptions } from "./schedule.js";
import { checkStandardizer, type Standardizer } from "./standardize.js";

/** Which cached log-mel the training crops come from (validation always uses the middle excerpt). */
export type TrainingInputs = "middle" | "whole";

export interface RunParams {
  preset: PresetName;
  model: ModelOptions;
  training: TrainingOptions;
  inputs: TrainingInputs;
  cropsPerEpoch: number;
  /** The CF set whose unit-normalised factors are the targets. */
  cfFactorSetId: number;
  /** Track ids of the split, fixed when the run starts so a resumed run trains on the same tracks. */
  split: { train: number[]; validation: number[] };
  standardization: Standardizer;
  /** The pretrained encoder the network started from (`curator train --init`); absent: random weights. */
  init?: { path: string; name: string; stateSha256: string };
  checkpointDir: string;
  /** Which model backs the run's predictions (the convnet or the MFCC baseline), set when training finishes. */
  audioModel?: AudioModelRecord;
}

export type ModelRunRow = NonNullable<Awaited<ReturnType<Db["modelRun"]["findUnique"]>>>;

export function runParams(run: ModelRunRow): RunParams {
  let params: RunParams;
  try {
    params = JSON.parse(run.params) as RunParams;
  } catch (error) {
    throw new Error(`model run #${run.id}: params are not valid JSON (${(error as Error).message})`);
  }
  if (!params.model || !params.split || !params.standardization) throw new Error(`model run #${run.id}: params lack model, split or standardisation`);
  checkStandardizer(params.standardization, params.model.melBins, `model run #${run.id}`);
  return { ...params, training: { ...LEGACY_TRAINING, ...params.training } };
}

/** The run named, or the newest READY one. */
export async function findRun(db: Db, runId?: number): Promise<ModelRunRow> {
  const run =
    runId === undefined
      ? await db.modelRun.findFirst({ where: { status: "READY" }, orderBy: { id: "desc" } })
      : await db.modelRun.findUnique({ where: { id: runId } });
  if (!run) throw new Error(runId === undefined ? "no finished model run: run `curator train` first" : `model run #${runId} does not exist`);
  return run;
}

export interface RunModel {
  model: LayersModel;
  params: RunParams;
  checkpoint: string;
}

/** The checkpoint of the weights the run kept (ModelRun.checkpointPath: best or last epoch), verified. */
export async function loadRunModel(tf: Tf, run: ModelRunRow): Promise<RunModel> {
  const params = runParams(run);
  if (!run.checkpointPath) throw new Error(`model run #${run.id} has no checkpoint yet (status ${run.status})`);
  const loaded = await loadCheckpoint(tf, run.checkpointPath, { outputDims: params.model.outputDims });
  loaded.optimizer.dispose();
  return { model: loaded.model, params: { ...params, model: loaded.modelOptions }, checkpoint: run.checkpointPath };
}
