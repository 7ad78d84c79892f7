// `curator train`: the convnet regresses unit-normalised CF factors from log-mel spectrograms. Targets are the
// active CF set's tracks with training listens (non-zero rows); tracks without them (the cold-start test set) are
// never seen. The rest is split by track into training and validation, seeded; inputs are standardised per mel
// bin with statistics of the training tracks, stored in the run. A ModelRun row follows the run (BUILDING →
// READY) with its loss curve, which the job's series also carries for the UI.
import { join } from "node:path";

import type { LayersModel } from "@tensorflow/tfjs";

import type { Db } from "@curator/db/client.js";

import type { JobHandle } from "../jobs/job.js";
import { loadActiveFactorSet } from "../storage/factor-sets.js";

import { modelOptions, type ModelOptions, type PresetName, type Tf } from "./architecture.js";
import { assertTrainingBackend, loadTensorflow } from "./backend.js";
import { checkpointName } from "./checkpoint.js";
import { copyEncoderWeights, defaultEncoder, encoderMismatch, loadEncoder, readEncoderManifest, type EncoderManifest } from "./encoder.js";
import { loadFeatureInputs } from "./feature-inputs.js";
import { Rng } from "../util/random.js";
import { runParams, type RunParams, type TrainingInputs } from "./run-record.js";
import type { MaskOptions } from "./spec-augment.js";
import { endOfRun, TRAINING_DEFAULTS, validateTrainingOptions, type EpochReport, type TrainingOptions } from "./schedule.js";
import { fitStandardizer, standardize } from "./standardize.js";
import { inMemoryProvider, NonFiniteError, train, type TrackExample } from "./train.js";
import { chooseAudioModel, type AudioModelRecord, type AudioModelRule } from "./model-choice.js";
import { predictExcerpts } from "./predict.js";
import { validationRanking } from "./validation-ranking.js";
import { dataPaths } from "../paths.js";

/** Training options a new run takes from the caller; the rest are TRAINING_DEFAULTS (schedule.ts documents each). */
export type TrainingOverrides = Partial<
  Pick<
    TrainingOptions,
    | "epochs"
    | "batchSize"
    | "learningRate"
    | "patience"
    | "seed"
    | "optimizer"
    | "warmupEpochs"
    | "loss"
    | "weightDecay"
    | "clipNorm"
    | "centreTargets"
    | "initializer"
    | "monitor"
    | "keepWeights"
  >
>;

export interface TrainStageOptions extends TrainingOverrides {
  preset?: PresetName;
  /** Dropout after each dense layer. Default: the preset's (0.5). */
  dropout?: number;
  /** Epochs without improvement before the plateau schedule halves the learning rate. Default: TRAINING_DEFAULTS'. */
  plateauPatience?: number;
  /** SpecAugment masks on the training crops; each unset one is TRAINING_DEFAULTS'. */
  masks?: Partial<MaskOptions>;
  /** Share of the tracks with CF factors kept for validation. Default 0.15. */
  validation?: number;
  inputs?: TrainingInputs;
  /** Random crops of each training track per epoch. Default DEFAULT_CROPS_PER_EPOCH. */
  cropsPerEpoch?: number;
  /** Continue the run the job was working on (or the newest run) from its newest checkpoint. */
  resume?: boolean;
  /** Train on the pure-JS or wasm backend anyway. */
  forceBackend?: boolean;
  /** Parent of the per-run checkpoint directories. Default data/models. */
  checkpointRoot?: string;
  /** Which model backs the run's predictions: the better of convnet and MFCC baseline on validation (default). */
  audioModel?: AudioModelRule;
  /**
   * A pretrained encoder's folder (`curator pretrain`) whose conv and hidden layers the network starts from, with
   * its input standardisation; "none": random weights. Default: the shipped encoder (encoder.ts DEFAULT_ENCODER)
   * when the preset is its architecture, else random weights.
   */
  init?: string;
}

export interface TrainResume {
  modelRunId: number;
}

export interface TrainStageResult {
  modelRunId: number;
  epochsDone: number;
  bestEpoch: number;
  /** The validation loss and AUC of bestEpoch (the AUC when some user played a validation track). */
  bestValLoss: number;
  bestValAuc?: number;
  /** The epoch whose weights the run keeps (TrainingOptions.keepWeights). */
  keptEpoch: number;
  trainTracks: number;
  validationTracks: number;
  stoppedEarly: boolean;
  checkpoint: string;
  /** Which model backs the run's predictions, with both models' validation quality. */
  audioModel: AudioModelRecord;
}

export interface LossPoint {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  valAuc?: number;
  lr: number;
}

const FEATURE_MODE = { middle: "MIDDLE", whole: "WHOLE" } as const;

// small: with TRAINING_DEFAULTS' regularisation it did better than tiny on the Debian corpus
// (docs/experiments/2026-12-07-training-options.md).
export const DEFAULT_PRESET: PresetName = "small";
export const DEFAULT_CROPS_PER_EPOCH = 8;

export async function runTrain(db: Db, job: JobHandle<TrainResume>, options: TrainStageOptions = {}): Promise<TrainStageResult> {
  const loaded = await loadTensorflow();
  assertTrainingBackend(loaded, { force: options.forceBackend });
  const { tf } = loaded;

  const bad = (item: string, reason: string) => job.bad(item, reason);
  const run = (options.resume ? await resumableRun(db, job) : undefined) ?? (await newRun(db, options, bad, loaded.name));
  await job.checkpoint({ modelRunId: run.id });
  const params = runParams(run);
  const cf = await loadActiveFactorSet(db, "CF", true);
  if (!cf) throw new Error("no active CF factor set: run `curator factorize` first");
  if (cf.dims !== params.model.outputDims) {
    throw new Error(
      `model run #${run.id} predicts ${params.model.outputDims} factor dimensions but the active CF set #${cf.id} has ${cf.dims}: ` +
        "its checkpoints cannot continue on these factors; start a new run without --resume",
    );
  }
  if (cf.id !== params.cfFactorSetId) {
    throw new Error(`model run #${run.id} was trained on CF set #${params.cfFactorSetId}, the active one is now #${cf.id}: start a new run without --resume`);
  }

  // Training tracks see `inputs` (random crops); validation tracks their middle excerpt, as predict does.
  const ids = [...params.split.train, ...params.split.validation];
  const middle = await loadFeatureInputs(db, "MIDDLE", params.model.melBins, bad, params.split.validation);
  const trainInputs = await loadFeatureInputs(db, FEATURE_MODE[params.inputs], params.model.melBins, bad, params.split.train);
  const row = new Map(Array.from(cf.trackIds, (id, i) => [id, i]));
  const examples: TrackExample[] = ids.map((id, i) => {
    const frames = (i < params.split.train.length ? trainInputs : middle).frames.get(id);
    if (!frames) throw new Error(`model run #${run.id}: track ${id} of its split has no usable features any more (see the bad items)`);
    const r = row.get(id);
    if (r === undefined) throw new Error(`model run #${run.id}: track ${id} of its split has no row in CF set #${cf.id}`);
    return { inputs: standardize(frames, params.standardization), targets: cf.raw.slice(r * cf.dims, (r + 1) * cf.dims) };
  });
  const labels = new Map([...middle.labels, ...trainInputs.labels]);
  // A track listed k times gets k independent random crops per epoch: a corpus of a few dozen tracks would
  // otherwise give the optimiser only a handful of steps per epoch.
  const trainIndices = Array.from({ length: params.cropsPerEpoch }, () => params.split.train.map((_, i) => i)).flat();
  const validationIndices = params.split.validation.map((_, i) => params.split.train.length + i);
  const training: TrainingOptions = { ...params.training, ...(options.epochs !== undefined ? { epochs: options.epochs } : {}) };
  const validationAuc = await validationRanking(db, cf, params.split.validation);
  if (training.monitor === "auc" && !validationAuc) {
    throw new Error(`model run #${run.id}: no user played a validation track, so there is no validation AUC to monitor: train with --monitor loss`);
  }

  let curve: LossPoint[] = (JSON.parse(run.lossCurve) as LossPoint[]).filter((p) => p.epoch <= run.epochsDone);
  const batches = Math.ceil(trainIndices.length / training.batchSize);
  await db.modelRun.update({ where: { id: run.id }, data: { status: "BUILDING", jobId: job.id, backend: loaded.name } });
  try {
    const result = await train(tf, {
      model: params.model,
      training,
      provider: inMemoryProvider(examples),
      trainIndices,
      validationIndices,
      ...(validationAuc ? { validationAuc } : {}),
      checkpointDir: params.checkpointDir,
      resume: options.resume,
      ...(params.init ? { initialize: startFromEncoder(tf, params.init, params.model) } : {}),
      onBatch: (b) => {
        const text = `epoch ${b.epoch}/${training.epochs} batch ${b.batch}/${b.batches} loss ${b.loss.toFixed(5)}`;
        void job.progress((b.epoch - 1) * batches + b.batch, training.epochs * batches, text).catch(() => undefined);
      },
      onEpoch: async (report, standing) => {
        const point = lossPoint(report);
        curve = [...curve.filter((p) => p.epoch < point.epoch), point];
        await job.plot({ ...point });
        await db.modelRun.update({
          where: { id: run.id },
          data: {
            epochsDone: point.epoch,
            bestValLoss: standing.bestValLoss,
            lossCurve: JSON.stringify(curve),
            checkpointPath: join(params.checkpointDir, checkpointName(standing.keptEpoch)),
          },
        });
      },
    });
    let audioModel: AudioModelRecord;
    try {
      const convnetValidation = await predictExcerpts(tf, result.model, params.model, validationIndices.map((i) => examples[i]!.inputs));
      // A message, not progress: the bar stays where training ended (short of its total when it stopped early).
      await job.message("fitting the MFCC baseline and choosing the audio model on validation");
      audioModel = await chooseAudioModel({
        db,
        cf,
        split: params.split,
        melBins: params.model.melBins,
        convnetValidation,
        validationAuc,
        rule: options.audioModel ?? "best",
        checkpointDir: params.checkpointDir,
        bad,
      });
    } finally {
      result.model.dispose();
    }
    const audio = audioModel.backing === "convnet" ? audioModel.convnet : audioModel.baseline;
    console.error(
      `train: model run #${run.id} is backed by the ${audioModel.backing} (${audioModel.decidedBy}; validation AUC convnet ${fmt(audioModel.convnet.validationAuc)}, ` +
        `MFCC baseline ${fmt(audioModel.baseline.validationAuc)}; chosen ${fmt(audio.validationAuc)})`,
    );
    await job.message(
      `${endOfRun(result.history, result.bestEpoch, result.stoppedEarly, training)}; weights of epoch ${result.keptEpoch} kept; ` +
        `predictions from the ${audioModel.backing === "convnet" ? "convnet" : "MFCC baseline"} (${audioModel.decidedBy})`,
    );
    await db.modelRun.update({
      where: { id: run.id },
      data: {
        params: JSON.stringify({ ...(JSON.parse(run.params) as RunParams), audioModel } satisfies RunParams),
        status: "READY",
        epochsDone: result.history.at(-1)?.epoch ?? run.epochsDone,
        bestValLoss: result.bestValLoss,
        lossCurve: JSON.stringify(result.history.map(lossPoint)),
        checkpointPath: result.checkpoint,
        completedAt: new Date(),
      },
    });
    return {
      modelRunId: run.id,
      epochsDone: result.history.at(-1)?.epoch ?? 0,
      bestEpoch: result.bestEpoch,
      bestValLoss: result.bestValLoss,
      ...defined({ bestValAuc: result.history.find((r) => r.epoch === result.bestEpoch)?.valAuc }),
      keptEpoch: result.keptEpoch,
      trainTracks: params.split.train.length,
      validationTracks: validationIndices.length,
      stoppedEarly: result.stoppedEarly,
      checkpoint: result.checkpoint,
      audioModel,
    };
  } catch (error) {
    await db.modelRun.update({ where: { id: run.id }, data: { status: "FAILED" } });
    if (error instanceof NonFiniteError) {
      // A track appears once per crop in an epoch: name each once.
      const named = [...new Set(error.trackIndices.map((i) => labels.get(ids[i]!) ?? `track ${ids[i]}`))];
      for (const item of named) await job.bad(item, `non-finite ${error.kind} in epoch ${error.epoch}, ${error.phase} batch ${error.batch}`);
      throw new Error(
        `model run #${run.id}: non-finite ${error.kind} in epoch ${error.epoch}, ${error.phase} batch ${error.batch} (${named.join(", ")}); ` +
          `training stopped, last good checkpoint ${error.lastCheckpoint}; lower --lr and start again, or --resume`,
        { cause: error },
      );
    }
    throw error;
  }
}

async function resumableRun(db: Db, job: JobHandle<TrainResume>) {
  const id = job.resumeFrom?.modelRunId;
  // Only an interrupted run continues: a READY run is the model predict uses, and reopening it (BUILDING) left none.
  const run = id !== undefined ? await db.modelRun.findUnique({ where: { id } }) : await db.modelRun.findFirst({ where: { status: { in: ["BUILDING", "FAILED"] } }, orderBy: { id: "desc" } });
  if (!run || run.status === "READY" || run.status === "RETIRED") {
    console.error("train: --resume: no interrupted model run, starting a new one");
    return undefined;
  }
  console.error(`train: resuming model run #${run.id} after epoch ${run.epochsDone}`);
  return run;
}

async function newRun(db: Db, options: TrainStageOptions, bad: (item: string, reason: string) => Promise<void>, backend: string) {
  const cf = await loadActiveFactorSet(db, "CF");
  if (!cf) throw new Error("no active CF factor set: run `curator factorize` first");
  const preset = options.preset ?? DEFAULT_PRESET;
  const model = modelOptions(preset, { outputDims: cf.dims, ...defined({ dropout: options.dropout }) });
  const { epochs, batchSize, learningRate, patience, seed, optimizer, warmupEpochs, loss, weightDecay, clipNorm, centreTargets, initializer, monitor, keepWeights } =
    options;
  const training: TrainingOptions = {
    ...TRAINING_DEFAULTS,
    ...defined({ epochs, batchSize, learningRate, patience, seed, optimizer, warmupEpochs, loss, weightDecay, clipNorm, centreTargets, initializer, monitor, keepWeights }),
  };
  training.masks = { ...TRAINING_DEFAULTS.masks, ...defined(options.masks ?? {}) };
  if (options.plateauPatience !== undefined) {
    if (training.schedule.kind !== "plateau") throw new Error(`plateauPatience needs the plateau schedule, the default is ${training.schedule.kind}`);
    training.schedule = { ...training.schedule, patience: options.plateauPatience };
  }
  validateTrainingOptions(training);
  const inputs = options.inputs ?? "whole";
  // Tracks without training listens have zero CF rows: they are the cold-start test set.
  const warm = Array.from(cf.trackIds).filter((_, i) => cf.norms[i]! > 0);
  const middle = await loadFeatureInputs(db, "MIDDLE", model.melBins, bad, warm);
  const usable = warm.filter((id) => middle.frames.has(id));
  const split = splitTracks(usable, options.validation ?? 0.15, training.seed);
  const trainInputs = inputs === "middle" ? middle : await loadFeatureInputs(db, "WHOLE", model.melBins, bad, split.train);
  split.train = split.train.filter((id) => trainInputs.frames.has(id));
  if (split.train.length === 0) throw new Error(`no training tracks: ${warm.length} tracks have CF factors, none has usable features`);
  const encoder = await chooseEncoder(options.init, model);
  // An encoder's weights expect the inputs it was pretrained on: its standardisation, not one of these tracks.
  const standardization = encoder?.manifest.standardization ?? fitStandardizer(split.train.map((id) => trainInputs.frames.get(id)!), model.melBins);
  const run = await db.modelRun.create({ data: { preset, params: "{}", status: "BUILDING", backend } });
  // The creation time keeps two databases' run #1 from sharing a checkpoint directory.
  const params: RunParams = {
    preset,
    model,
    training,
    inputs,
    cropsPerEpoch: options.cropsPerEpoch ?? DEFAULT_CROPS_PER_EPOCH,
    cfFactorSetId: cf.id,
    split,
    standardization,
    ...(encoder ? { init: { path: encoder.path, name: encoder.manifest.name, stateSha256: encoder.manifest.stateSha256 } } : {}),
    checkpointDir: join(options.checkpointRoot ?? dataPaths.models(), `run-${run.id}-${run.createdAt.getTime().toString(36)}`),
  };
  const start = encoder ? `starting from encoder ${encoder.manifest.name} (${encoder.path})` : "from random weights";
  console.error(`train: model run #${run.id}: ${split.train.length} training and ${split.validation.length} validation tracks, ${cf.trackIds.length - warm.length} cold tracks left out; ${start}`);
  return db.modelRun.update({ where: { id: run.id }, data: { params: JSON.stringify(params) } });
}

/** The encoder a new run starts from: --init's, or the shipped one when it fits the preset (said so when not). */
async function chooseEncoder(init: string | undefined, model: ModelOptions): Promise<{ path: string; manifest: EncoderManifest } | undefined> {
  if (init === "none") return undefined;
  const path = init ?? defaultEncoder();
  if (path === undefined) return undefined;
  const manifest = await readEncoderManifest(path);
  const mismatch = encoderMismatch(manifest, model);
  if (mismatch && init === undefined) {
    console.error(`train: the shipped encoder ${manifest.name} is another architecture (${mismatch}): starting from random weights`);
    return undefined;
  }
  if (mismatch) throw new Error(`--init ${path}: the encoder does not fit this network: ${mismatch}; pick its preset (${manifest.preset}) or --init none`);
  return { path, manifest };
}

/** Copies the encoder's layers into the fresh network; its hashes are checked again, the manifest's too. */
function startFromEncoder(tf: Tf, init: NonNullable<RunParams["init"]>, model: ModelOptions) {
  return async (network: LayersModel) => {
    const encoder = await loadEncoder(tf, init.path);
    try {
      if (encoder.manifest.stateSha256 !== init.stateSha256) {
        throw new Error(`encoder ${init.path} changed since the run was started (it was ${init.name}): start a new run`);
      }
      copyEncoderWeights(encoder, network, model);
    } finally {
      encoder.model.dispose();
    }
  };
}

/** Seeded split by track: at least one validation track and one training track. */
export function splitTracks(trackIds: readonly number[], validation: number, seed: number): { train: number[]; validation: number[] } {
  if (!(validation > 0 && validation < 1)) throw new Error(`validation share must be in (0, 1), got ${validation}`);
  if (trackIds.length < 2) throw new Error(`training needs at least 2 tracks with CF factors and features, got ${trackIds.length}`);
  const order = new Rng(seed ^ 0x5eed).shuffle([...trackIds].sort((a, b) => a - b));
  const count = Math.min(trackIds.length - 1, Math.max(1, Math.round(validation * trackIds.length)));
  return { train: order.slice(count).sort((a, b) => a - b), validation: order.slice(0, count).sort((a, b) => a - b) };
}

function lossPoint(report: EpochReport): LossPoint {
  const { epoch, trainLoss, valLoss, valAuc, lr } = report;
  return { epoch, trainLoss, valLoss, ...defined({ valAuc }), lr };
}

function fmt(value: number | undefined): string {
  return value === undefined ? "n/a" : value.toFixed(3);
}

function defined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
