// Checkpoints: one directory per epoch (`epoch-0007/`) holding the model in TensorFlow.js's layers format
// (model.json + weights.bin, loadable by tf.loadLayersModel), the optimizer's accumulators (optimizer.bin: Nesterov
// momentum, or Adam's first then second moments) and
// state.json (options, epoch, RNG state, schedule, file sizes and SHA-256). state.json is written last inside a
// temporary directory that is then renamed into place, so a directory named epoch-N is always complete; a file
// damaged later is caught by its hash.
import { createHash, randomBytes } from "node:crypto";
import { open, mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";

import type { io, LayersModel, Tensor } from "@tensorflow/tfjs";

import { registerCustomLayers, validateModelOptions, type ModelOptions, type Tf } from "./architecture.js";
import { accumulatorsPerWeight, createOptimizer, optimizerKind, type TrainingOptimizer } from "./optimizers.js";
import { LEGACY_TRAINING, type OptimizerKind, type TrainingOptions, type TrainingState } from "./schedule.js";

export interface Checkpoint {
  model: LayersModel;
  optimizer: TrainingOptimizer;
  modelOptions: ModelOptions;
  trainingOptions: TrainingOptions;
  state: TrainingState;
}

const FORMAT = "curator-convnet-checkpoint";
const VERSION = 1;
const STATE_FILE = "state.json";
const MODEL_FILE = "model.json";
const WEIGHTS_FILE = "weights.bin";
const OPTIMIZER_FILE = "optimizer.bin";
const DIR_PATTERN = /^epoch-(\d+)$/;

interface FileRecord {
  bytes: number;
  sha256: string;
}

interface AccumulatorSpec {
  /** The model weight it belongs to (layer/weight), in model.trainableWeights order. */
  weight: string;
  shape: number[];
}

interface StateFile {
  format: typeof FORMAT;
  version: number;
  modelOptions: ModelOptions;
  trainingOptions: TrainingOptions;
  // JSON has no Infinity: bestValLoss is null until the first validation.
  state: Omit<TrainingState, "bestValLoss"> & { bestValLoss: number | null };
  // kind is absent from checkpoints written before Adam was an option: those are Nesterov.
  optimizer: { kind?: OptimizerKind; learningRate: number; momentum: number; iterations: number; accumulators: AccumulatorSpec[] };
  files: Record<string, FileRecord>;
}

export function checkpointName(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, "0")}`;
}

/** Checkpoint directories under `root`, oldest epoch first. */
export async function listCheckpoints(root: string): Promise<{ epoch: number; path: string }[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names
    .flatMap((name) => {
      const match = DIR_PATTERN.exec(name);
      return match ? [{ epoch: Number(match[1]), path: join(root, name) }] : [];
    })
    .sort((a, b) => a.epoch - b.epoch);
}

export async function latestCheckpoint(root: string): Promise<string | undefined> {
  return (await listCheckpoints(root)).at(-1)?.path;
}

/** Removes checkpoint directories whose epoch is not in `keep`. */
export async function pruneCheckpoints(root: string, keep: ReadonlySet<number>): Promise<void> {
  for (const { epoch, path } of await listCheckpoints(root)) {
    if (!keep.has(epoch)) await rm(path, { recursive: true, force: true });
  }
}

/** Writes `root/epoch-NNNN` atomically and returns its path. */
export async function saveCheckpoint(tf: Tf, root: string, checkpoint: Checkpoint): Promise<string> {
  const { model, optimizer, modelOptions, trainingOptions, state } = checkpoint;
  const artifacts = await modelArtifacts(tf, model);
  const optimizerWeights = await optimizer.getWeights();
  const [iterations, ...accumulators] = optimizerWeights;
  const trainable = model.trainableWeights;
  const kind = optimizerKind(optimizer);
  const expected = accumulatorsPerWeight(kind) * trainable.length;
  if (accumulators.length !== 0 && accumulators.length !== expected) {
    throw new Error(`${kind} optimizer holds ${accumulators.length} accumulators for ${trainable.length} trainable weights`);
  }
  const accumulatorSpecs = accumulators.map((a, i) => ({ weight: trainable[i % trainable.length]!.originalName, shape: a.tensor.shape }));
  const optimizerBytes = Buffer.concat(await Promise.all(accumulators.map(async (a) => bytesOf(await a.tensor.data()))));

  const modelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
  };
  const contents: [string, Uint8Array][] = [
    [MODEL_FILE, Buffer.from(JSON.stringify(modelJson))],
    [WEIGHTS_FILE, weightBytes(artifacts.weightData!)],
    [OPTIMIZER_FILE, optimizerBytes],
  ];
  const stateFile: StateFile = {
    format: FORMAT,
    version: VERSION,
    modelOptions,
    trainingOptions,
    state: { ...state, bestValLoss: Number.isFinite(state.bestValLoss) ? state.bestValLoss : null },
    optimizer: {
      kind,
      learningRate: state.learningRate,
      momentum: trainingOptions.momentum,
      iterations: iterations ? (await iterations.tensor.data())[0]! : 0,
      accumulators: accumulatorSpecs,
    },
    files: Object.fromEntries(contents.map(([name, data]) => [name, { bytes: data.length, sha256: sha256(data) }])),
  };

  await mkdir(root, { recursive: true });
  const name = checkpointName(state.epoch);
  const final = join(root, name);
  const temporary = join(root, `.${name}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await mkdir(temporary);
    for (const [file, data] of contents) await writeSynced(join(temporary, file), data);
    await writeSynced(join(temporary, STATE_FILE), Buffer.from(JSON.stringify(stateFile, null, 1)));
    await replaceDirectory(temporary, final);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  return final;
}

/**
 * Loads and verifies a checkpoint directory. `expect` lists model options the caller needs (the whole
 * architecture when resuming, at least outputDims when predicting): any difference is refused.
 */
export async function loadCheckpoint(tf: Tf, path: string, expect: Partial<ModelOptions> = {}): Promise<Checkpoint> {
  const stateFile = await readStateFile(path);
  refuseMismatch(path, stateFile.modelOptions, expect);
  const files = await readVerified(path, stateFile.files);

  const modelPath = join(path, MODEL_FILE);
  let modelJson: io.ModelJSON;
  try {
    modelJson = JSON.parse(files.get(MODEL_FILE)!.toString("utf8")) as io.ModelJSON;
  } catch (error) {
    throw new Error(`checkpoint file ${modelPath} is not valid JSON: ${(error as Error).message}`);
  }
  const weights = files.get(WEIGHTS_FILE)!;
  registerCustomLayers(tf);
  let model: LayersModel;
  try {
    model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights),
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length),
      }),
    );
  } catch (error) {
    throw new Error(`checkpoint ${path}: ${MODEL_FILE} and ${WEIGHTS_FILE} do not make a model: ${(error as Error).message}`);
  }

  const optimizer = await restoreOptimizer(tf, path, model, stateFile, files.get(OPTIMIZER_FILE)!);
  const { bestValLoss, ...rest } = stateFile.state;
  return {
    model,
    optimizer,
    modelOptions: stateFile.modelOptions,
    trainingOptions: { ...LEGACY_TRAINING, ...stateFile.trainingOptions },
    state: { ...rest, bestValLoss: bestValLoss ?? Infinity },
  };
}

async function readStateFile(path: string): Promise<StateFile> {
  const file = join(path, STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`checkpoint ${path} has no ${STATE_FILE}: not a checkpoint directory`);
    }
    throw error;
  }
  let parsed: Partial<StateFile>;
  try {
    parsed = JSON.parse(text) as Partial<StateFile>;
  } catch (error) {
    throw new Error(`checkpoint file ${file} is corrupt or truncated (${(error as Error).message})`);
  }
  if (parsed.format !== FORMAT || parsed.version !== VERSION) {
    throw new Error(`checkpoint file ${file} is not a ${FORMAT} version ${VERSION} file`);
  }
  if (!parsed.modelOptions || !parsed.trainingOptions || !parsed.state || !parsed.optimizer || !parsed.files) {
    throw new Error(`checkpoint file ${file} is incomplete (missing sections)`);
  }
  validateModelOptions(parsed.modelOptions);
  return parsed as StateFile;
}

function refuseMismatch(path: string, saved: ModelOptions, expect: Partial<ModelOptions>): void {
  if (expect.outputDims !== undefined && expect.outputDims !== saved.outputDims) {
    throw new Error(
      `checkpoint ${path} predicts ${saved.outputDims} factor dimensions, but ${expect.outputDims} were asked for ` +
        "(factors from a different factorisation?)",
    );
  }
  const differences = (Object.keys(expect) as (keyof ModelOptions)[])
    .filter((key) => JSON.stringify(expect[key]) !== JSON.stringify(saved[key]))
    .map((key) => `${key} ${JSON.stringify(saved[key])} (checkpoint) vs ${JSON.stringify(expect[key])} (requested)`);
  if (differences.length > 0) {
    throw new Error(`checkpoint ${path} has a different architecture: ${differences.join("; ")}`);
  }
}

async function readVerified(path: string, records: Record<string, FileRecord>): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of [MODEL_FILE, WEIGHTS_FILE, OPTIMIZER_FILE]) {
    const file = join(path, name);
    const record = records[name];
    if (!record) throw new Error(`checkpoint file ${join(path, STATE_FILE)} does not list ${name}`);
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch (error) {
      throw new Error(`checkpoint file ${file} cannot be read: ${(error as Error).message}`);
    }
    if (data.length !== record.bytes) {
      throw new Error(`checkpoint file ${file} is truncated or corrupt: ${data.length} bytes, expected ${record.bytes}`);
    }
    if (sha256(data) !== record.sha256) throw new Error(`checkpoint file ${file} is corrupt: SHA-256 does not match`);
    files.set(name, data);
  }
  return files;
}

async function restoreOptimizer(
  tf: Tf,
  path: string,
  model: LayersModel,
  stateFile: StateFile,
  bytes: Buffer,
): Promise<TrainingOptimizer> {
  const { kind = "nesterov", learningRate, momentum, iterations, accumulators } = stateFile.optimizer;
  const trainable = model.trainableWeights;
  const where = `checkpoint ${path}: optimizer state`;
  if (accumulators.length !== 0 && accumulators.length !== accumulatorsPerWeight(kind) * trainable.length) {
    throw new Error(`${where} has ${accumulators.length} ${kind} accumulators for ${trainable.length} trainable weights`);
  }
  // 4-byte aligned copy: a Float32Array cannot view a Buffer slice at an odd offset.
  const values = new Float32Array(new Uint8Array(bytes).buffer);
  let offset = 0;
  const suffixes = kind === "adam" ? ["m", "v"] : ["momentum"];
  const named: { name: string; tensor: Tensor }[] = accumulators.map((spec, i) => {
    const weight = trainable[i % trainable.length]!;
    if (spec.weight !== weight.originalName || JSON.stringify(spec.shape) !== JSON.stringify(weight.shape)) {
      throw new Error(`${where} does not match the model: ${spec.weight} ${JSON.stringify(spec.shape)} vs ${weight.originalName} ${JSON.stringify(weight.shape)}`);
    }
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const tensor = tf.tensor(values.subarray(offset, offset + size), spec.shape);
    offset += size;
    return { name: `${spec.weight}/${suffixes[Math.floor(i / trainable.length)]}`, tensor };
  });
  if (offset !== values.length) throw new Error(`${where}: ${OPTIMIZER_FILE} holds ${values.length} values, expected ${offset}`);
  const optimizer = createOptimizer(tf, kind, learningRate, momentum);
  const iter = tf.scalar(iterations, "int32");
  await optimizer.setWeights([{ name: "iter", tensor: iter }, ...named]);
  // setWeights copies each tensor into a new variable.
  tf.dispose([iter, ...named.map((n) => n.tensor)]);
  return optimizer;
}

async function modelArtifacts(tf: Tf, model: LayersModel): Promise<io.ModelArtifacts> {
  let captured: io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  return captured!;
}

function weightBytes(data: io.WeightData): Uint8Array {
  return Array.isArray(data) ? Buffer.concat(data.map((b) => new Uint8Array(b))) : new Uint8Array(data);
}

function bytesOf(values: ArrayLike<number> & ArrayBufferView): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

async function writeSynced(file: string, data: Uint8Array): Promise<void> {
  const handle = await open(file, "w");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Renames `source` to `target`; an existing target (an epoch being redone) is moved aside first, then removed. */
async function replaceDirectory(source: string, target: string): Promise<void> {
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  if (!exists) return rename(source, target);
  const aside = `${source}.old`;
  await rename(target, aside);
  await rename(source, target);
  await rm(aside, { recursive: true, force: true });
}
