// `curator pretrain`: contrastive pretraining (pretrain.ts) of the convnet on every track's audio, listened to or
// not, cold tracks included (no labels are read). Inputs are the whole-track log-mel windows, standardised per mel
// bin with statistics of all of them, which travel with the encoder. A seeded share of the tracks only validates.
// The run lives in one folder: run.json (its fixed split, standardisation, options), checkpoints/ (one per epoch,
// resumable) and encoder/ (the kept weights after every epoch: an interrupted run still leaves an encoder that
// `curator train --init` takes). The job records progress and the loss curve for the UI.
import { readFile } from "node:fs/promises";
import { join } from "node:path";

import type { LayersModel } from "@tensorflow/tfjs";
import type { Db } from "@curator/db/client.js";

import type { JobHandle } from "../jobs/job.js";
import { dataPaths } from "../paths.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { modelOptions, type ModelOptions, type PresetName } from "./architecture.js";
import { assertTrainingBackend, loadTensorflow } from "./backend.js";
import { checkpointName, latestCheckpoint, loadCheckpoint } from "./checkpoint.js";
import { exportEncoder } from "./encoder.js";
import { loadFeatureInputs } from "./feature-inputs.js";
import { PRETRAIN_DEFAULTS, PRETRAIN_DROPOUT, validatePretrainOptions, type PretrainOptions } from "./pretrain-options.js";
import { pretrain } from "./pretrain.js";
import type { EpochReport } from "./schedule.js";
import type { TrainingInputs } from "./run-record.js";
import { fitStandardizer, standardize, type Standardizer } from "./standardize.js";
import { DEFAULT_PRESET, splitTracks } from "./stage-train.js";
import { trackFrames } from "./windows.js";

export type PretrainOverrides = Partial<
  Pick<PretrainOptions, "epochs" | "batchSize" | "learningRate" | "temperature" | "projectionDims" | "passes" | "weightDecay" | "seed">
> & {
  /** Each unset one is PRETRAIN_DEFAULTS'. */
  augment?: Partial<PretrainOptions["augment"]>;
  masks?: Partial<PretrainOptions["masks"]>;
};

export interface PretrainStageOptions extends PretrainOverrides {
  preset?: PresetName;
  /** Crops from anywhere in the track (whole-track windows, the default) or from its middle excerpt only (cheaper features). */
  inputs?: TrainingInputs;
  /** Share of the tracks kept for the validation loss. Default 0.1. */
  validation?: number;
  /** The run's folder. Default data/pretrain. */
  dir?: string;
  resume?: boolean;
  forceBackend?: boolean;
  /** Recorded in the encoder's provenance. */
  command?: string;
}

export interface PretrainStageResult {
  dir: string;
  encoder: string;
  epochsDone: number;
  keptEpoch: number;
  trainLoss: number;
  valLoss: number;
  trainTracks: number;
  validationTracks: number;
}

interface RunFile {
  preset: PresetName;
  inputs: TrainingInputs;
  model: ModelOptions;
  options: PretrainOptions;
  split: { train: number[]; validation: number[] };
  standardization: Standardizer;
}

const VALIDATION_SHARE = 0.1;
const FEATURE_MODE = { middle: "MIDDLE", whole: "WHOLE" } as const;

export async function runPretrain(db: Db, job: JobHandle<{ dir: string }>, options: PretrainStageOptions = {}): Promise<PretrainStageResult> {
  const loaded = await loadTensorflow();
  assertTrainingBackend(loaded, { force: options.forceBackend });
  const { tf } = loaded;
  const dir = options.dir ?? job.resumeFrom?.dir ?? dataPaths.pretrain();
  await job.checkpoint({ dir });
  const bad = (item: string, reason: string) => job.bad(item, reason);

  const run = options.resume ? await readRunFile(dir) : await newRun(db, dir, options, bad);
  const ids = [...run.split.train, ...run.split.validation];
  const inputs = await loadFeatureInputs(db, FEATURE_MODE[run.inputs], run.model.melBins, bad, ids);
  const tracks = ids.map((id) => {
    const frames = inputs.frames.get(id);
    if (!frames) throw new Error(`pretraining run ${dir}: track ${id} of its split has no usable ${run.inputs} features any more (see the bad items)`);
    return standardize(frames, run.standardization);
  });
  inputs.frames.clear();
  const trainIndices = run.split.train.map((_, i) => i);
  const validationIndices = run.split.validation.map((_, i) => run.split.train.length + i);
  const epochs = options.epochs ?? run.options.epochs;
  const pretraining: PretrainOptions = { ...run.options, epochs };
  let totalBatches = 0;
  const checkpointDir = join(dir, "checkpoints");
  const encoderDir = join(dir, "encoder");
  let encoder = join(encoderDir, "encoder.json");
  let history: EpochReport[] = [];
  // The kept epoch's weights become the encoder after every epoch: a run stopped at any point leaves one.
  const exportKept = async (model: LayersModel, keptEpoch: number) => {
    const kept = history.find((r) => r.epoch === keptEpoch);
    if (!kept) throw new Error(`pretraining run ${dir}: epoch ${keptEpoch} is not in its history`);
    encoder = await exportEncoder(
      tf,
      encoderDir,
      model,
      {
        name: `${run.preset}-${run.inputs}-epoch-${kept.epoch}`,
        preset: run.preset,
        modelOptions: run.model,
        standardization: run.standardization,
        provenance: {
          epoch: kept.epoch,
          trainLoss: kept.trainLoss,
          valLoss: kept.valLoss,
          trainTracks: run.split.train.length,
          validationTracks: run.split.validation.length,
          options: pretraining,
          command: options.command ?? "curator pretrain",
          createdAt: new Date().toISOString(),
        },
      },
      { epoch: kept.epoch, rngState: 0, learningRate: pretraining.learningRate, bestValLoss: kept.valLoss, bestEpoch: kept.epoch, plateauWait: 0, history },
    );
  };

  const result = await pretrain(tf, {
    model: run.model,
    pretraining,
    tracks,
    trainIndices,
    validationIndices,
    checkpointDir,
    resume: options.resume,
    onBatch: (b) => {
      totalBatches = b.batches;
      const text = `epoch ${b.epoch}/${epochs} batch ${b.batch}/${b.batches} loss ${b.loss.toFixed(4)}`;
      void job.progress((b.epoch - 1) * b.batches + b.batch, epochs * b.batches, text).catch(() => undefined);
    },
    onEpoch: async (report, standing) => {
      history = [...history.filter((r) => r.epoch < report.epoch), report];
      await job.plot({ epoch: report.epoch, trainLoss: report.trainLoss, valLoss: report.valLoss, lr: report.lr });
      await job.progress(report.epoch * totalBatches, epochs * totalBatches, `epoch ${report.epoch}: loss ${report.trainLoss.toFixed(4)}, validation ${report.valLoss.toFixed(4)}`);
      const kept = await loadCheckpoint(tf, join(checkpointDir, checkpointName(standing.keptEpoch)), run.model);
      try {
        history = kept.state.history;
        await exportKept(kept.model, standing.keptEpoch);
      } finally {
        kept.optimizer.dispose();
        kept.model.dispose();
      }
    },
  });
  result.model.dispose();
  const kept = result.history.find((r) => r.epoch === result.keptEpoch);
  if (!kept) throw new Error(`pretraining run ${dir}: no epoch ran (already at epoch ${epochs}?)`);
  return {
    dir,
    encoder,
    epochsDone: result.history.at(-1)?.epoch ?? 0,
    keptEpoch: result.keptEpoch,
    trainLoss: kept.trainLoss,
    valLoss: kept.valLoss,
    trainTracks: run.split.train.length,
    validationTracks: run.split.validation.length,
  };
}

async function newRun(db: Db, dir: string, options: PretrainStageOptions, bad: (item: string, reason: string) => Promise<void>): Promise<RunFile> {
  if (await latestCheckpoint(join(dir, "checkpoints"))) {
    throw new Error(`pretraining folder ${dir} already holds a run: continue it with --resume, or give another --dir`);
  }
  const preset = options.preset ?? DEFAULT_PRESET;
  const { epochs, batchSize, learningRate, temperature, projectionDims, passes, weightDecay, seed } = options;
  const pretraining: PretrainOptions = {
    ...PRETRAIN_DEFAULTS,
    ...defined({ epochs, batchSize, learningRate, temperature, projectionDims, passes, weightDecay, seed }),
    augment: { ...PRETRAIN_DEFAULTS.augment, ...defined(options.augment ?? {}) },
    masks: { ...PRETRAIN_DEFAULTS.masks, ...defined(options.masks ?? {}) },
  };
  validatePretrainOptions(pretraining);
  const model = modelOptions(preset, { outputDims: pretraining.projectionDims, dropout: PRETRAIN_DROPOUT });
  const mode = options.inputs ?? "whole";
  const inputs = await loadFeatureInputs(db, FEATURE_MODE[mode], model.melBins, bad);
  const usable: number[] = [];
  for (const [id, frames] of inputs.frames) {
    try {
      trackFrames(frames, model.melBins, model.cropFrames, id);
      usable.push(id);
    } catch (error) {
      await bad(inputs.labels.get(id) ?? `track ${id}`, (error as Error).message);
    }
  }
  if (usable.length < 4) throw new Error(`pretraining needs at least 4 tracks with ${mode} features, got ${usable.length}: run \`curator features\``);
  const split = splitTracks(usable, options.validation ?? VALIDATION_SHARE, pretraining.seed);
  if (split.validation.length < 2) split.validation.push(split.train.pop()!);
  const standardization = fitStandardizer(usable.map((id) => inputs.frames.get(id)!), model.melBins);
  const run: RunFile = { preset, inputs: mode, model, options: pretraining, split, standardization };
  await writeFileAtomic(join(dir, "run.json"), Buffer.from(JSON.stringify(run, null, 1) + "\n"));
  console.error(`pretrain: ${split.train.length} training and ${split.validation.length} validation tracks, ${preset} preset; run folder ${dir}`);
  return run;
}

async function readRunFile(dir: string): Promise<RunFile> {
  const file = join(dir, "run.json");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new Error(`--resume: ${file} cannot be read (${(error as Error).message}); start a run without --resume`);
  }
  const run = JSON.parse(text) as RunFile;
  console.error(`pretrain: resuming ${dir}`);
  return run;
}

function defined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
