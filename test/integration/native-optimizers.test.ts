// The fused optimizers of gpu-worker/src/model/native-optimizers.ts against the reference: tfjs's own
// MomentumOptimizer (Nesterov) and AdamOptimizer, stepped side by side on copies of the same weights with the same
// gradients, while the learning rate changes as warm-up and the plateau schedule change it.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";

import type { Tensor, Variable } from "@tensorflow/tfjs";

import type { Tf } from "@curator/worker/model/architecture.js";
import { loadTensorflow } from "@curator/worker/model/backend.js";
import { NativeAdam, NativeMomentum } from "@curator/worker/model/native-optimizers.js";
import { setLearningRate, type TrainingOptimizer } from "@curator/worker/model/optimizers.js";
import { Rng } from "@curator/worker/util/random.js";

/** A conv kernel, a dense kernel and a bias: the shapes the convnet's optimizer sees. */
const SHAPES = [[1, 4, 8, 16], [48, 32], [32]];
const LEARNING_RATES = [1e-3, 5e-3, 2e-3, 2e-3, 1e-4, 3e-3];

let tf: Tf;

function randomTensor(shape: number[], rng: Rng, scale: number): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  // Some gradients near 0, where Adam's ε decides the step.
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => (i % 7 === 0 ? 1e-7 : scale) * (2 * rng.next() - 1)), shape);
}

/** Two copies of the same starting weights. */
function twinWeights(seed: number): [Variable[], Variable[]] {
  const rng = new Rng(seed);
  const start = SHAPES.map((shape) => randomTensor(shape, rng, 1));
  const copies = [start.map((t) => tf.variable(t.clone())), start.map((t) => tf.variable(t.clone()))] as [Variable[], Variable[]];
  tf.dispose(start);
  return copies;
}

/** The same gradients for both optimizers, step after step; the learning rate changes as a schedule would. */
function stepBoth(pairs: [TrainingOptimizer, Variable[]][], steps: number, seed: number, firstStep = 0): void {
  const rng = new Rng(seed);
  for (let s = firstStep; s < firstStep + steps; s++) {
    const gradients = SHAPES.map((shape) => randomTensor(shape, rng, 0.1));
    for (const [optimizer, weights] of pairs) {
      setLearningRate(optimizer, LEARNING_RATES[s % LEARNING_RATES.length]!);
      optimizer.applyGradients(Object.fromEntries(weights.map((w, i) => [w.name, gradients[i]!])));
    }
    tf.dispose(gradients);
  }
}

async function values(tensors: readonly Tensor[]): Promise<Float32Array[]> {
  return Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array));
}

/** Within float32 rounding of a value's size (Adam's division amplifies it for gradients near 0). */
function assertClose(actual: Float32Array[], expected: Float32Array[], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: count`);
  expected.forEach((e, k) => {
    assert.equal(actual[k]!.length, e.length, `${what} ${k}: length`);
    for (let i = 0; i < e.length; i++) {
      const bound = tolerance * Math.max(1, Math.abs(e[i]!));
      assert.ok(Math.abs(actual[k]![i]! - e[i]!) <= bound, `${what} ${k}[${i}]: ${actual[k]![i]} vs ${e[i]}`);
    }
  });
}

async function state(optimizer: TrainingOptimizer): Promise<{ names: string[]; iterations: number; accumulators: Float32Array[] }> {
  const [iter, ...accumulators] = await optimizer.getWeights();
  return {
    names: accumulators.map((a) => a.name.slice(a.name.lastIndexOf("/"))),
    iterations: (await iter!.tensor.data())[0]!,
    accumulators: await values(accumulators.map((a) => a.tensor)),
  };
}

const KINDS = [
  {
    kind: "Nesterov momentum",
    reference: () => tf.train.momentum(LEARNING_RATES[0]!, 0.9, true),
    native: () => new NativeMomentum(tf, LEARNING_RATES[0]!, 0.9),
    tolerance: 1e-6,
  },
  {
    kind: "Adam",
    reference: () => tf.train.adam(LEARNING_RATES[0]!, 0.9, 0.999),
    native: () => new NativeAdam(tf, LEARNING_RATES[0]!, 0.9, 0.999),
    tolerance: 1e-5,
  },
];

describe("fused native optimizers", () => {
  before(async () => {
    tf = (await loadTensorflow()).tf;
  });

  for (const { kind, reference, native, tolerance } of KINDS) {
    test(`${kind}: the weights and accumulators of tfjs's optimizer, step for step`, async () => {
      const [theirs, ours] = twinWeights(1);
      const [ref, opt] = [reference(), native()];
      const start = await values(ours);
      stepBoth([[ref, theirs], [opt, ours]], 6, 2);
      // Not a vacuous match: the weights moved.
      const moved = (await values(ours)).map((w, k) => Math.max(...w.map((v, i) => Math.abs(v - start[k]![i]!))));
      assert.ok(moved.every((m) => m > 1e-4), `largest change per weight ${moved.join(", ")}`);
      assertClose(await values(ours), await values(theirs), tolerance, "weights");
      const [expected, actual] = [await state(ref), await state(opt)];
      assert.equal(actual.iterations, 6);
      assert.deepEqual(actual.names, expected.names);
      assertClose(actual.accumulators, expected.accumulators, tolerance, "accumulators");
      tf.dispose([...theirs, ...ours]);
      ref.dispose();
      opt.dispose();
    });

    test(`${kind}: state moves between tfjs's optimizer and the native one in both directions`, async () => {
      const [theirs, ours] = twinWeights(3);
      const [ref, opt] = [reference(), native()];
      stepBoth([[ref, theirs]], 3, 4);
      await opt.setWeights(await ref.getWeights());
      for (const [i, w] of ours.entries()) w.assign(theirs[i]!);
      stepBoth([[ref, theirs], [opt, ours]], 3, 5, 3);
      assertClose(await values(ours), await values(theirs), tolerance, "weights after resuming on the native optimizer");

      const back = reference();
      await back.setWeights(await opt.getWeights());
      stepBoth([[back, theirs], [opt, ours]], 2, 6, 6);
      assertClose(await values(theirs), await values(ours), tolerance, "weights after resuming on tfjs's optimizer");
      tf.dispose([...theirs, ...ours]);
      for (const o of [ref, opt, back]) o.dispose();
    });

    test(`${kind}: a weight set from outside between steps (a loaded checkpoint) is the one updated`, async () => {
      const [theirs, ours] = twinWeights(7);
      const [ref, opt] = [reference(), native()];
      stepBoth([[ref, theirs], [opt, ours]], 2, 8);
      const replacement = randomTensor(SHAPES[1]!, new Rng(9), 1);
      theirs[1]!.assign(replacement);
      ours[1]!.assign(replacement);
      replacement.dispose();
      stepBoth([[ref, theirs], [opt, ours]], 2, 10, 2);
      assertClose(await values(ours), await values(theirs), tolerance, "weights");
      tf.dispose([...theirs, ...ours]);
      ref.dispose();
      opt.dispose();
    });
  }

  test("an optimizer leaves no tensors behind once disposed, nor do its steps", async () => {
    const [a, b] = twinWeights(11);
    const before = tf.memory().numTensors;
    for (const make of [() => new NativeMomentum(tf, 0.01, 0.9), () => new NativeAdam(tf, 0.01, 0.9, 0.999)]) {
      const optimizer = make();
      stepBoth([[optimizer, a]], 3, 12);
      await optimizer.getWeights();
      await optimizer.getWeights();
      optimizer.dispose();
    }
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([...a, ...b]);
  });

  test("state of another shape is refused with the reason", async () => {
    const optimizer = new NativeAdam(tf, 0.01, 0.9, 0.999);
    const t = tf.zeros([3]);
    await assert.rejects(optimizer.setWeights([{ name: "w/m", tensor: t }]), /starts with the step count \("iter"\), not w\/m/);
    const iter = tf.scalar(1, "int32");
    await assert.rejects(optimizer.setWeights([{ name: "iter", tensor: iter }, { name: "w/m", tensor: t }]), /holds 1 accumulators, not 2 per weight/);
    tf.dispose([t, iter]);
    optimizer.dispose();
  });
});
