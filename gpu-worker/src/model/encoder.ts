// A pretrained encoder (`curator pretrain`'s product, `curator train --init`'s input): a folder holding
// encoder.json (format, version, name, the input standardisation, how it was made, the SHA-256 of the checkpoint's
// state.json) and one checkpoint directory (checkpoint.ts: model.json, weights.bin and an empty optimizer.bin,
// each SHA-256-checked by state.json). Loading checks the chain: encoder.json → state.json → the weight files, so
// a damaged or swapped file is refused by name. Fine-tuning copies the conv and hidden dense layers; the output
// layer (the projection head) is left out: the regression gets a fresh one.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";

import type { LayersModel } from "@tensorflow/tfjs";
import { repoRoot } from "@curator/db/config.js";

import { LAYER_NAMES, type ModelOptions, type PresetName, type Tf } from "./architecture.js";
import { checkpointName, loadCheckpoint, saveCheckpoint } from "./checkpoint.js";
import { createOptimizer } from "./optimizers.js";
import type { PretrainOptions } from "./pretrain-options.js";
import type { TrainingState } from "./schedule.js";
import { checkStandardizer, type Standardizer } from "./standardize.js";
import { writeFileAtomic } from "../util/atomic-write.js";

const FORMAT = "curator-pretrained-encoder";
const VERSION = 1;
const MANIFEST = "encoder.json";

/** The encoder `curator train` starts from unless told otherwise (`--init`): committed with the code. */
export const DEFAULT_ENCODER = join(repoRoot, "gpu-worker", "pretrained", "small-v1");

export interface EncoderManifest {
  format: typeof FORMAT;
  version: number;
  /** Names this encoder in run records: folder name, epoch. */
  name: string;
  preset: PresetName;
  /** The pretraining network's options (outputDims is the projection head's size). */
  modelOptions: ModelOptions;
  /** Per mel bin, of every pretraining track: fine-tuning and prediction feed the encoder the same inputs. */
  standardization: Standardizer;
  checkpoint: string;
  /** SHA-256 of the checkpoint's state.json, which holds the SHA-256 of the weights. */
  stateSha256: string;
  /** How it was made: epochs, losses, tracks, options, the command. */
  provenance: {
    epoch: number;
    trainLoss: number;
    valLoss: number;
    trainTracks: number;
    validationTracks: number;
    options: PretrainOptions;
    command: string;
    createdAt: string;
  };
}

export interface LoadedEncoder {
  manifest: EncoderManifest;
  model: LayersModel;
  path: string;
}

/**
 * Writes `model` (the kept epoch's weights) as the encoder in `dir`, replacing what was there: the new checkpoint
 * directory first, then encoder.json atomically, then older checkpoint directories go. The optimizer state is not
 * exported (it is in the pretraining checkpoints).
 */
export async function exportEncoder(
  tf: Tf,
  dir: string,
  model: LayersModel,
  manifest: Omit<EncoderManifest, "format" | "version" | "checkpoint" | "stateSha256">,
  state: TrainingState,
): Promise<string> {
  const { options } = manifest.provenance;
  const optimizer = createOptimizer(tf, options.optimizer, options.learningRate, options.momentum);
  let checkpoint: string;
  try {
    checkpoint = await saveCheckpoint(tf, dir, { model, optimizer, modelOptions: manifest.modelOptions, trainingOptions: options, state });
  } finally {
    optimizer.dispose();
  }
  const name = checkpointName(state.epoch);
  const stateSha256 = sha256(await readFile(join(checkpoint, "state.json")));
  const full: EncoderManifest = { format: FORMAT, version: VERSION, ...manifest, checkpoint: name, stateSha256 };
  await writeFileAtomic(join(dir, MANIFEST), Buffer.from(JSON.stringify(full, null, 1) + "\n"));
  for (const entry of await readdir(dir)) {
    if (/^epoch-\d+$/.test(entry) && entry !== name) await rm(join(dir, entry), { recursive: true, force: true });
  }
  return join(dir, MANIFEST);
}

/** Reads and checks encoder.json (format, version, standardisation, the state.json hash); loads no weights. */
export async function readEncoderManifest(dir: string): Promise<EncoderManifest> {
  const file = join(dir, MANIFEST);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`${dir} is not a pretrained encoder: it has no ${MANIFEST} (make one with \`curator pretrain\`)`);
    throw error;
  }
  let manifest: EncoderManifest;
  try {
    manifest = JSON.parse(text) as EncoderManifest;
  } catch (error) {
    throw new Error(`encoder file ${file} is corrupt or truncated (${(error as Error).message})`);
  }
  if (manifest.format !== FORMAT) throw new Error(`encoder file ${file} is not a ${FORMAT} file`);
  if (manifest.version !== VERSION) throw new Error(`encoder file ${file} is version ${manifest.version}; this code reads version ${VERSION}`);
  if (!manifest.modelOptions || !manifest.checkpoint || !manifest.stateSha256) throw new Error(`encoder file ${file} is incomplete`);
  checkStandardizer(manifest.standardization, manifest.modelOptions.melBins, `encoder ${dir}`);
  const state = join(dir, manifest.checkpoint, "state.json");
  let bytes: Buffer;
  try {
    bytes = await readFile(state);
  } catch (error) {
    throw new Error(`encoder ${dir}: its checkpoint file ${state} cannot be read: ${(error as Error).message}`);
  }
  if (sha256(bytes) !== manifest.stateSha256) throw new Error(`encoder ${dir}: ${state} is corrupt or was replaced: SHA-256 does not match ${MANIFEST}`);
  return manifest;
}

/** The encoder's network with its weights, every file's hash checked. */
export async function loadEncoder(tf: Tf, dir: string): Promise<LoadedEncoder> {
  const manifest = await readEncoderManifest(dir);
  const loaded = await loadCheckpoint(tf, join(dir, manifest.checkpoint), manifest.modelOptions);
  loaded.optimizer.dispose();
  return { manifest, model: loaded.model, path: dir };
}

/** The architecture options the encoder's layers fix; a fine-tuned network must share them. */
const SHARED: (keyof ModelOptions)[] = ["melBins", "convFilters", "kernelWidth", "poolSizes", "denseUnits"];

/** Why `target` cannot start from the encoder, or undefined when it can. */
export function encoderMismatch(manifest: Pick<EncoderManifest, "modelOptions">, target: ModelOptions): string | undefined {
  const differences = SHARED.filter((key) => JSON.stringify(manifest.modelOptions[key]) !== JSON.stringify(target[key])).map(
    (key) => `${key} ${JSON.stringify(manifest.modelOptions[key])} (encoder) vs ${JSON.stringify(target[key])} (model)`,
  );
  return differences.length > 0 ? differences.join("; ") : undefined;
}

/** Names of the layers fine-tuning takes from the encoder: every conv layer and hidden dense layer. */
export function encoderLayers(options: ModelOptions): string[] {
  return [
    ...options.convFilters.map((_, i) => (i === 0 ? LAYER_NAMES.firstConv : `conv${i + 1}`)),
    ...options.denseUnits.map((_, i) => LAYER_NAMES.hidden(i)),
  ];
}

/** Copies the encoder's conv and hidden-layer weights into `target` (built with `options`); refuses another architecture. */
export function copyEncoderWeights(encoder: LoadedEncoder, target: LayersModel, options: ModelOptions): void {
  const mismatch = encoderMismatch(encoder.manifest, options);
  if (mismatch) throw new Error(`encoder ${encoder.path} does not fit this network: ${mismatch}`);
  for (const name of encoderLayers(options)) {
    // getWeights hands out the layer's own variables; setWeights copies their values.
    target.getLayer(name).setWeights(encoder.model.getLayer(name).getWeights());
  }
}

/** The default encoder's folder when it is there (a checkout without it trains from random weights). */
export function defaultEncoder(): string | undefined {
  return existsSync(join(DEFAULT_ENCODER, MANIFEST)) ? DEFAULT_ENCODER : undefined;
}

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
