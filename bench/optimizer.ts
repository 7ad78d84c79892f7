/**
 * One optimizer update of the full network's weights (the post's network, 9.5 M weights in 14 tensors): the fused
 * TensorFlow kernels training steps with (gpu-worker/src/model/native-optimizers.ts) against tfjs's own optimizer,
 * which it stepped with before, in the same process on the same gradients, alternating in rounds
 * (support/rounds.ts). Nesterov momentum (the post's) is the JSON line; Adam (the corpus-tuned
 * default) is in the table.
 *
 * Env: OPTIMIZER_BENCH_ROUNDS (15), OPTIMIZER_BENCH_STEPS (10 updates a round), BENCH_THREADS (2).
 */
import { loadTensorflow } from "@curator/worker/model/backend.js";
import { buildModel } from "@curator/worker/model/architecture.js";
import { NativeAdam, NativeMomentum } from "@curator/worker/model/native-optimizers.js";
import type { TrainingOptimizer } from "@curator/worker/model/optimizers.js";

import { BENCH_MODEL, pinTensorflowThreads, THREADS } from "./support/convnet.js";
import { alternate, jsonLine, roundsFrom, timed, type Comparison, type Side } from "./support/rounds.js";

const ROUNDS = roundsFrom("OPTIMIZER_BENCH_ROUNDS", 15);
const STEPS = Number(process.env.OPTIMIZER_BENCH_STEPS ?? 10);
const LEARNING_RATE = 1e-3;

pinTensorflowThreads();
const { tf, name } = await loadTensorflow();
const { model } = buildModel(tf, BENCH_MODEL, 1);
const shapes = model.trainableWeights.map((w) => w.shape as number[]);
model.dispose();
const weightCount = shapes.reduce((sum, shape) => sum + shape.reduce((a, b) => a * b, 1), 0);
const gradients = shapes.map((shape) => tf.randomNormal(shape, 0, 1e-3, "float32", 2));

/** Milliseconds per update of the fused optimizer and of tfjs's, alternating in rounds (support/rounds.ts). */
async function race(label: string, fused: TrainingOptimizer, theirs: TrainingOptimizer): Promise<Comparison> {
  const side = (optimizer: TrainingOptimizer, name: string): Side => {
    const weights = startingWeights();
    const update = () => optimizer.applyGradients(Object.fromEntries(weights.map((w, i) => [w.name, gradients[i]!])));
    // Warm-up: the accumulators (and the fused side's resources) are made at the first update.
    update();
    disposers.push(() => {
      optimizer.dispose();
      tf.dispose(weights);
    });
    return {
      label: name,
      async run() {
        const { wall, cpu } = await timed(async () => {
          for (let s = 0; s < STEPS; s++) update();
          // tfjs-node runs each kernel before returning; reading a value makes sure nothing is pending.
          await weights[0]!.data();
        });
        return { value: (1000 * wall) / STEPS, wall, cpu };
      },
    };
  };
  const disposers: (() => void)[] = [];
  try {
    return await alternate({
      bench: `optimizer (${label})`,
      unit: "ms/update",
      anchorName: `tfjs 4.22 ${label}`,
      rounds: ROUNDS,
      ours: side(fused, "fused"),
      anchor: side(theirs, "tfjs"),
    });
  } finally {
    for (const dispose of disposers) dispose();
  }
}

function startingWeights() {
  return shapes.map((shape) => tf.variable(tf.randomNormal(shape, 0, 0.05, "float32", 1)));
}

const nesterov = await race("MomentumOptimizer (Nesterov)", new NativeMomentum(tf, LEARNING_RATE, 0.9), tf.train.momentum(LEARNING_RATE, 0.9, true));
const adam = await race("AdamOptimizer", new NativeAdam(tf, LEARNING_RATE, 0.9, 0.999), tf.train.adam(LEARNING_RATE, 0.9, 0.999));
tf.dispose(gradients);

console.log(`optimizer: one update of ${(weightCount / 1e6).toFixed(1)} M weights in ${shapes.length} tensors (the full network), ` +
  `${THREADS} threads, median of ${ROUNDS} rounds of ${STEPS} updates`);
console.log(`backend: ${name}\n`);
console.log("              fused ms   tfjs ms   ratio (median of per-round ratios, spread)");
for (const [label, m] of [["nesterov", nesterov], ["adam", adam]] as const) {
  console.log(`${label.padEnd(12)} ${m.ours.toFixed(2).padStart(9)} ${m.anchor.toFixed(2).padStart(9)}   ${m.ratio.toFixed(2)} (${m.ratioMin.toFixed(2)}–${m.ratioMax.toFixed(2)})`);
}
console.log(jsonLine({ ...nesterov, options: { ...nesterov.options, bench: "optimizer" } }, { adam_ratio: Number(adam.ratio.toPrecision(4)), threads: THREADS }));
