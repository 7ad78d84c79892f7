// The TensorFlow.js backend switch on the native libtensorflow built by scripts/native/10-tfjs-node.sh.
// Reference: the same conv1d, matMul and ReLU gradient computed here in float64.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import type { Tensor } from "@tensorflow/tfjs";

import { assertTrainingBackend, loadTensorflow } from "@curator/worker/model/backend.js";
import { Rng } from "@curator/worker/util/random.js";
import { assertFloat32Close } from "../support/float32.js";

/** Deterministic values in [-1, 1), so a failure reproduces. */
function randomValues(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => 2 * rng.next() - 1);
}

type Shape3 = [number, number, number];

/** Valid, stride-1 conv1d: x [batch, width, inC], w [k, inC, outC] → [batch, width - k + 1, outC]. */
function conv1dValid(x: Float32Array, w: Float32Array, [batch, width, inC]: Shape3, [k, , outC]: Shape3) {
  const outW = width - k + 1;
  const out = new Float64Array(batch * outW * outC);
  for (let b = 0; b < batch; b++)
    for (let t = 0; t < outW; t++)
      for (let o = 0; o < outC; o++) {
        let s = 0;
        for (let j = 0; j < k; j++)
          for (let c = 0; c < inC; c++) s += x[(b * width + t + j) * inC + c]! * w[(j * inC + c) * outC + o]!;
        out[(b * outW + t) * outC + o] = s;
      }
  return out;
}

function matMul(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += a[i * k + t]! * b[t * n + j]!;
      out[i * n + j] = s;
    }
  return out;
}

/** TensorFlow's float32 kernels against the float64 loops here: a few ULPs at the result's largest magnitude. */
function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assertFloat32Close(actual, expected, { ulps: 64, what });
}

describe("TensorFlow.js backend", () => {
  test("an unknown TF_BACKEND is rejected, naming the value and the choices", async () => {
    const saved = process.env.TF_BACKEND;
    process.env.TF_BACKEND = "tpu";
    try {
      await assert.rejects(loadTensorflow(), {
        message: 'TF_BACKEND="tpu" is not a TensorFlow.js backend: use one of node-gpu, node, wasm, cpu, auto',
      });
    } finally {
      if (saved === undefined) delete process.env.TF_BACKEND;
      else process.env.TF_BACKEND = saved;
    }
  });

  test("auto picks the native tensorflow backend", async () => {
    const { tf, backend, name } = await loadTensorflow({ backend: "auto" });
    assert.equal(tf.getBackend(), "tensorflow");
    assert.ok(backend === "node" || backend === "node-gpu", backend);
    assert.match(name, /^tensorflow \((CPU|GPU), libtensorflow \d+\.\d+ via tfjs-node(-gpu)? 4\.22\)$/);
  });

  test("conv1d matches a direct computation", async () => {
    const { tf } = await loadTensorflow({ backend: "auto" });
    // Filter width 4 along time, as in the Dieleman convnet.
    const xShape: Shape3 = [2, 9, 3];
    const wShape: Shape3 = [4, 3, 5];
    const x = randomValues(2 * 9 * 3, 1);
    const w = randomValues(4 * 3 * 5, 2);
    const y = tf.tidy(() => tf.conv1d(tf.tensor3d(x, xShape), tf.tensor3d(w, wShape), 1, "valid"));
    assert.deepEqual(y.shape, [2, 6, 5]);
    assertClose(y.dataSync(), conv1dValid(x, w, xShape, wShape), "conv1d");
    y.dispose();
  });

  test("matMul matches a direct computation", async () => {
    const { tf } = await loadTensorflow({ backend: "auto" });
    const a = randomValues(3 * 7, 3);
    const b = randomValues(7 * 4, 4);
    const y = tf.tidy(() => tf.matMul(tf.tensor2d(a, [3, 7]), tf.tensor2d(b, [7, 4])));
    assert.deepEqual(y.shape, [3, 4]);
    assertClose(y.dataSync(), matMul(a, b, 3, 7, 4), "matMul");
    y.dispose();
  });

  test("ReLU's gradient is the upstream gradient where the input is positive, else 0", async () => {
    const { tf } = await loadTensorflow({ backend: "auto" });
    // Zeros on purpose: the subgradient there is 0, as in TensorFlow and tfjs.
    const x = randomValues(4 * 6, 5).map((v, i) => (i % 7 === 0 ? 0 : v));
    const dy = randomValues(4 * 6, 6);
    const gradient = () => tf.tidy(() => tf.grad((input: Tensor) => tf.relu(input))(tf.tensor2d(x, [4, 6]), tf.tensor2d(dy, [4, 6])));
    const dx = gradient();
    assert.deepEqual(dx.shape, [4, 6]);
    assertClose(dx.dataSync(), Array.from(x, (v, i) => (v > 0 ? dy[i]! : 0)), "relu gradient");
    dx.dispose();
    // In one native ReluGrad, not tfjs's step(x), which tfjs-node builds from six whole-tensor kernels.
    const { kernels } = await tf.profile(() => gradient());
    const names = kernels.map((k) => k.name);
    assert.ok(!names.includes("Step") && !names.includes("Select"), names.join(", "));
  });

  test("a second, different backend in the same process is refused", async () => {
    await loadTensorflow({ backend: "auto" });
    await assert.rejects(loadTensorflow({ backend: "cpu" }), /backend cpu requested, but this process already runs on node/);
  });

  test("training is refused on the pure-JS backends unless forced", () => {
    assert.throws(() => assertTrainingBackend({ backend: "cpu" }), /refusing to train on the cpu TensorFlow\.js backend/);
    assert.throws(() => assertTrainingBackend({ backend: "wasm" }), /refusing to train on the wasm/);
    assertTrainingBackend({ backend: "cpu" }, { force: true });
    assertTrainingBackend({ backend: "node" });
    assertTrainingBackend({ backend: "node-gpu" });
  });
});
