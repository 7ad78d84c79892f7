/**
 * One optimizer update of the full network's weights (the post's network, 9.5 M weights in 14 tensors): the fused
 * TensorFlow kernels training steps with (gpu-worker/src/model/native-optimizers.ts) against tfjs's own optimizer,
 * which it stepped with before, in the same process on the same gradients. Rounds alternate which side goes first;
 * each side's figure is its median round. Nesterov momentum (the post's) is the JSON line; Adam (the corpus-tuned
 * default) is in the table.
 *
 * Env: OPTIMIZER_BENCH_ROUNDS (15), OPTIMIZER_BENCH_STEPS (10 updates a round), BENCH_THREADS (2).
 */
import { loadTensorflow } from "@curator/worker/model/backend.js";
import { buildModel } from "@curator/worker/model/architecture.js";
import { NativeAdam, NativeMomentum } from "@curator/worker/model/native-optimizers.js";
import type { TrainingOptimizer } from "@curator/worker/model/optimizers.js";

import { BENCH_MODEL, pinTensorflowThreads, THREADS } from "./support/convnet.js";
import { median } from "./support/stats.js";

const ROUNDS = Number(process.env.OPTIMIZER_BENCH_ROUNDS ?? 15);
const STEPS = Number(process.env.OPTIMIZER_BENCH_STEPS ?? 10);
const LEARNING_RATE = 1e-3;

pinTensorflowThreads();
const { tf, name } = await loadTensorflow();
const { model } = buildModel(tf, BENCH_MODEL, 1);
const shapes = model.trainableWeights.map((w) => w.shape as number[]);
model.dispose();
const weightCount = shapes.reduce((sum, shape) => sum + shape.reduce((a, b) => a * b, 1), 0);
const gradients = shapes.map((shape) => tf.randomNormal(shape, 0, 1e-3, "float32", 2));

/** Median milliseconds per update of the fused optimizer and of tfjs's, rounds alternating which goes first. */
async function race(fused: TrainingOptimizer, theirs: TrainingOptimizer): Promise<{ fused: number; tfjs: number }> {
  const sides = [
    { optimizer: fused, weights: startingWeights(), times: [] as number[] },
    { optimizer: theirs, weights: startingWeights(), times: [] as number[] },
  ];
  const update = ({ optimizer, weights }: (typeof sides)[number]) =>
    optimizer.applyGradients(Object.fromEntries(weights.map((w, i) => [w.name, gradients[i]!])));
  // Warm-up: the accumulators (and the fused side's resources) are made at the first update.
  sides.forEach(update);
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      const started = performance.now();
      for (let s = 0; s < STEPS; s++) update(side);
      // tfjs-node runs each kernel before returning; reading a value makes sure nothing is pending.
      await side.weights[0]!.data();
      side.times.push((performance.now() - started) / STEPS);
    }
  }
  for (const { optimizer, weights } of sides) {
    optimizer.dispose();
    tf.dispose(weights);
  }
  return { fused: median(sides[0]!.times), tfjs: median(sides[1]!.times) };
}

function startingWeights() {
  return shapes.map((shape) => tf.variable(tf.randomNormal(shape, 0, 0.05, "float32", 1)));
}

const nesterov = await race(new NativeMomentum(tf, LEARNING_RATE, 0.9), tf.train.momentum(LEARNING_RATE, 0.9, true));
const adam = await race(new NativeAdam(tf, LEARNING_RATE, 0.9, 0.999), tf.train.adam(LEARNING_RATE, 0.9, 0.999));
tf.dispose(gradients);

console.log(`optimizer: one update of ${(weightCount / 1e6).toFixed(1)} M weights in ${shapes.length} tensors (the full network), ` +
  `${THREADS} threads, median of ${ROUNDS} rounds of ${STEPS} updates`);
console.log(`backend: ${name}\n`);
console.log("              fused ms   tfjs ms   ratio");
for (const [label, m] of [["nesterov", nesterov], ["adam", adam]] as const) {
  console.log(`${label.padEnd(12)} ${m.fused.toFixed(2).padStart(9)} ${m.tfjs.toFixed(2).padStart(9)}   ${(m.fused / m.tfjs).toFixed(2)}`);
}
console.log(
  JSON.stringify({
    bench: "optimizer",
    unit: "ms/update",
    ours: nesterov.fused,
    anchor: nesterov.tfjs,
    anchor_name: "tfjs 4.22 MomentumOptimizer (Nesterov)",
    ratio: nesterov.fused / nesterov.tfjs,
  }),
);
