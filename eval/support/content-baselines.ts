// The NIPS 2013 paper's content baselines: MFCC bag-of-words histograms regressed onto CF factors by linear
// regression (ridge) and by a small multilayer perceptron.
// The features and the ridge model are the worker's (model/mfcc-baseline.ts), which `curator train` also fits.
import type { Tf } from "@curator/worker/model/architecture.js";
import { folds, rowsOf } from "@curator/worker/model/mfcc-baseline.js";

export { bagOfWordsFeatures, mfccFromLogMel, ridgeBaseline, rowsOf } from "@curator/worker/model/mfcc-baseline.js";

export interface MlpOptions {
  /** Hidden ReLU units. */
  hidden: number;
  dropout: number;
  /** L2 penalty on both kernels. */
  l2: number;
  learningRate: number;
  /** Upper limit of the epoch search on the validation split. */
  maxEpochs: number;
  /**
   * Start the output at the mean target (bias = mean, kernel = 0): as for the convnet (train.ts centreTargets),
   * the hidden layer then learns each track's offset from the mean instead of first unlearning a random output.
   */
  startAtMean: boolean;
}

// Starting at the mean and l2 = 1e-3 took this baseline from AUC 0.56–0.60 to 0.72 on the Debian corpus (ridge:
// 0.74); without them the epoch search picked a net that had fitted little beyond noise.
export const MLP_DEFAULTS: MlpOptions = { hidden: 256, dropout: 0.5, l2: 1e-3, learningRate: 1e-3, maxEpochs: 300, startAtMean: true };

/**
 * One hidden ReLU layer with dropout, Adam on MSE. The epoch count is picked on a seeded 20% validation split,
 * then the network is refitted on all training rows for that many epochs.
 */
export async function mlpBaseline(
  tf: Tf,
  x: Float32Array,
  y: Float32Array,
  n: number,
  d: number,
  k: number,
  test: Float32Array,
  options: MlpOptions = MLP_DEFAULTS,
): Promise<{ predictions: Float32Array; epochs: number }> {
  const { hidden, dropout, l2, learningRate, maxEpochs, startAtMean } = options;
  const build = (targets: Float32Array, rows: number) => {
    const regularizer = l2 > 0 ? tf.regularizers.l2({ l2 }) : undefined;
    const output = tf.layers.dense({ units: k, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }), kernelRegularizer: regularizer });
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [d], units: hidden, activation: "relu", kernelInitializer: tf.initializers.heUniform({ seed: 3 }), kernelRegularizer: regularizer }),
        tf.layers.dropout({ rate: dropout }),
        output,
      ],
    });
    if (startAtMean) {
      const mean = new Float32Array(k);
      for (let i = 0; i < rows * k; i++) mean[i % k]! += targets[i]! / rows;
      const start = [tf.zeros([hidden, k]), tf.tensor1d(mean)];
      output.setWeights(start);
      tf.dispose(start);
    }
    model.compile({ optimizer: tf.train.adam(learningRate), loss: "meanSquaredError" });
    return model;
  };
  // Standardised inputs: histogram bins are tiny and uneven, which slows Adam's first steps for nothing.
  const mean = new Float32Array(d);
  const std = new Float32Array(d);
  for (let i = 0; i < n * d; i++) mean[i % d]! += x[i]! / n;
  for (let i = 0; i < n * d; i++) std[i % d]! += (x[i]! - mean[i % d]!) ** 2 / n;
  const scale = (m: Float32Array) => m.map((v, i) => (v - mean[i % d]!) / Math.max(1e-6, Math.sqrt(std[i % d]!)));
  const xs = scale(x);
  const [held] = folds(n, 5, 7);
  const rest = [...Array(n).keys()].filter((i) => !held!.includes(i));
  const restY = rowsOf(y, k, rest);
  const probe = build(restY, rest.length);
  const fitTensors = [tf.tensor2d(rowsOf(xs, d, rest), [rest.length, d]), tf.tensor2d(restY, [rest.length, k])] as const;
  const valTensors = [tf.tensor2d(rowsOf(xs, d, held!), [held!.length, d]), tf.tensor2d(rowsOf(y, k, held!), [held!.length, k])] as const;
  const history = await probe.fit(fitTensors[0], fitTensors[1], { epochs: maxEpochs, batchSize: 16, validationData: [valTensors[0], valTensors[1]], verbose: 0 });
  const valLoss = history.history.val_loss as number[];
  const epochs = valLoss.indexOf(Math.min(...valLoss)) + 1;
  probe.dispose();
  tf.dispose([...fitTensors, ...valTensors]);

  const model = build(y, n);
  const [xt, yt, testT] = [tf.tensor2d(xs, [n, d]), tf.tensor2d(y, [n, k]), tf.tensor2d(scale(test), [test.length / d, d])];
  await model.fit(xt, yt, { epochs, batchSize: 16, verbose: 0 });
  const out = model.predict(testT) as ReturnType<Tf["tensor2d"]>;
  const predictions = (await out.data()) as Float32Array;
  tf.dispose([xt, yt, testT, out]);
  model.dispose();
  return { predictions, epochs };
}
