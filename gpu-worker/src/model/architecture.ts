// The Dieleman (2014) convnet: conv1d over time with mel bands as channels, max-pooling in time, global temporal
// pooling (mean, max, L2), two ReLU dense layers with dropout, a linear output regressing CF latent factors.
import type { LayersModel, SymbolicTensor, Tensor } from "@tensorflow/tfjs";

import { TRAINING_DEFAULTS, type WeightInit } from "./schedule.js";
import type { Tf } from "./tf.js";

export type { Tf };

export interface ModelOptions {
  /** Mel bands per frame: the input channels. */
  melBins: number;
  /** Frames the network sees: training crops, centre excerpts and whole-track windows (see windows.ts). */
  cropFrames: number;
  /** Filters of each conv1d layer. */
  convFilters: number[];
  /** Filter width in frames, every conv layer. */
  kernelWidth: number;
  /** Max-pool size after each conv layer but the last (length convFilters.length - 1). */
  poolSizes: number[];
  /** Units of each ReLU dense layer; dropout follows each. */
  denseUnits: number[];
  dropout: number;
  /** Size of the CF latent factors the output regresses. */
  outputDims: number;
}

const FULL: ModelOptions = {
  melBins: 128,
  cropFrames: 512,
  convFilters: [256, 256, 512, 512],
  kernelWidth: 4,
  poolSizes: [4, 2, 2],
  denseUnits: [2048, 2048],
  dropout: 0.5,
  outputDims: 40,
};

/**
 * "full": the blog post's network (9.4 M parameters at 599 frames); "small": for CI and small corpora (~0.6 M);
 * "tiny": ~0.17 M, for corpora smaller still (on the 233 training tracks of the Debian corpus small did better).
 */
export const PRESETS = {
  full: FULL,
  small: { ...FULL, convFilters: [64, 64, 128, 128], denseUnits: [512, 512] },
  tiny: { ...FULL, convFilters: [32, 32, 64, 64], denseUnits: [256, 256] },
} as const satisfies Record<string, ModelOptions>;
export type PresetName = keyof typeof PRESETS;

export function modelOptions(preset: PresetName, overrides: Partial<ModelOptions> = {}): ModelOptions {
  const options = { ...PRESETS[preset], ...overrides };
  validateModelOptions(options);
  return options;
}

/** Frames left after the conv/pool stack for an input of `frames` frames (all "valid", no padding). */
export function outputFrames(options: ModelOptions, frames: number): number {
  let t = frames;
  options.convFilters.forEach((_, i) => {
    t -= options.kernelWidth - 1;
    const pool = options.poolSizes[i];
    if (pool !== undefined) t = Math.floor(t / pool);
  });
  return t;
}

export function validateModelOptions(o: ModelOptions): void {
  const positive = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`model option ${name} must be a positive integer, got ${v}`);
  };
  positive("melBins", o.melBins);
  positive("cropFrames", o.cropFrames);
  positive("kernelWidth", o.kernelWidth);
  positive("outputDims", o.outputDims);
  if (o.convFilters.length === 0) throw new Error("model option convFilters needs at least one layer");
  o.convFilters.forEach((v, i) => positive(`convFilters[${i}]`, v));
  o.denseUnits.forEach((v, i) => positive(`denseUnits[${i}]`, v));
  o.poolSizes.forEach((v, i) => positive(`poolSizes[${i}]`, v));
  if (o.poolSizes.length !== o.convFilters.length - 1) {
    throw new Error(`model option poolSizes needs ${o.convFilters.length - 1} entries (one between conv layers)`);
  }
  if (!(o.dropout >= 0 && o.dropout < 1)) throw new Error(`model option dropout must be in [0, 1), got ${o.dropout}`);
  if (outputFrames(o, o.cropFrames) < 1) {
    throw new Error(`model option cropFrames=${o.cropFrames} is too short for the conv/pool stack`);
  }
}

export const LAYER_NAMES = {
  firstConv: "conv1",
  globalPool: "global_pool",
  output: "factors",
  hidden: (i: number) => `hidden${i + 1}`,
} as const;

export interface Convnet {
  model: LayersModel;
  /** Same input; outputs [first conv layer after ReLU (batch × time × filters), last hidden dense layer]. */
  probes: LayersModel;
}

/**
 * Weight initialisation is seeded, so two builds with one seed start from identical weights. He initialisation
 * keeps the activations' scale through the ReLU stack; Glorot (Keras' default) halves the variance at every
 * ReLU layer. The linear output layer is Glorot either way.
 */
export function buildModel(tf: Tf, options: ModelOptions, seed = 0, initializer: WeightInit = TRAINING_DEFAULTS.initializer): Convnet {
  validateModelOptions(options);
  registerCustomLayers(tf);
  let seeds = seed >>> 0;
  const glorot = () => tf.initializers.glorotUniform({ seed: seeds++ });
  const init = initializer === "he" ? () => tf.initializers.heUniform({ seed: seeds++ }) : glorot;
  // Time stays unspecified: the model predicts on any length, the callers keep it at cropFrames.
  const input = tf.input({ shape: [null, options.melBins], name: "logmel" });
  let x = input;
  options.convFilters.forEach((filters, i) => {
    const conv = tf.layers.conv1d({
      name: i === 0 ? LAYER_NAMES.firstConv : `conv${i + 1}`,
      filters,
      kernelSize: options.kernelWidth,
      activation: "relu",
      kernelInitializer: init(),
    });
    x = conv.apply(x) as SymbolicTensor;
    const pool = options.poolSizes[i];
    if (pool !== undefined) x = tf.layers.maxPooling1d({ name: `pool${i + 1}`, poolSize: pool }).apply(x) as SymbolicTensor;
  });
  x = new (globalTemporalPooling(tf))({ name: LAYER_NAMES.globalPool }).apply(x) as SymbolicTensor;
  options.denseUnits.forEach((units, i) => {
    const dense = tf.layers.dense({ name: LAYER_NAMES.hidden(i), units, activation: "relu", kernelInitializer: init() });
    x = dense.apply(x) as SymbolicTensor;
    x = tf.layers.dropout({ name: `dropout${i + 1}`, rate: options.dropout }).apply(x) as SymbolicTensor;
  });
  const output = tf.layers
    .dense({ name: LAYER_NAMES.output, units: options.outputDims, kernelInitializer: glorot() })
    .apply(x) as SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output, name: "dieleman_convnet" });
  return { model, probes: probeModel(tf, model, options) };
}

/** The activation probes of a built or loaded model (reuses its layers and weights). */
export function probeModel(tf: Tf, model: LayersModel, options: ModelOptions): LayersModel {
  const lastHidden = options.denseUnits.length === 0 ? LAYER_NAMES.globalPool : LAYER_NAMES.hidden(options.denseUnits.length - 1);
  const outputs = [model.getLayer(LAYER_NAMES.firstConv).output, model.getLayer(lastHidden).output] as SymbolicTensor[];
  return tf.model({ inputs: model.inputs, outputs, name: "dieleman_convnet_probes" });
}

/** Call before loading a saved model: tfjs looks custom layers up by class name. */
export function registerCustomLayers(tf: Tf): void {
  globalTemporalPooling(tf);
}

// Keeps sqrt differentiable where a ReLU channel is zero over the whole window.
const L2_EPSILON = 1e-12;

type LayerClass = new (args: { name?: string }) => InstanceType<Tf["layers"]["Layer"]>;
const poolingClasses = new WeakMap<object, LayerClass>();

/**
 * Mean, max and L2 norm over time per channel, concatenated: [batch, time, c] → [batch, 3c]. Defined per tfjs
 * instance because the base class comes from the dynamically loaded module.
 */
function globalTemporalPooling(tf: Tf): LayerClass {
  const known = poolingClasses.get(tf.layers.Layer);
  if (known) return known;
  class GlobalTemporalPooling extends tf.layers.Layer {
    static readonly className = "GlobalTemporalPooling";

    override computeOutputShape(inputShape: (number | null)[]): (number | null)[] {
      const channels = inputShape[2];
      return [inputShape[0]!, channels == null ? null : 3 * channels];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0]! : inputs;
        const l2 = tf.sqrt(tf.add(tf.sum(tf.square(x), 1), L2_EPSILON));
        return tf.concat([tf.mean(x, 1), tf.max(x, 1), l2], 1);
      });
    }
  }
  tf.serialization.registerClass(GlobalTemporalPooling);
  poolingClasses.set(tf.layers.Layer, GlobalTemporalPooling);
  return GlobalTemporalPooling;
}
