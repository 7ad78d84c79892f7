// TensorFlow.js differentiates ReLU as dy · step(x), and tfjs-node builds step from six whole-tensor ops (isNaN,
// greater, ones, fill and two selects). In a profiled training step of the full network at batch 16 they took about
// 30 % of the kernel time on 16 threads (an H200 machine's CPU) and 17 % on 2: elementwise passes over the conv
// activations that gain little from threads. TensorFlow's own ReluGrad does the same in one pass; a step on those
// 16 threads went from 0.081–0.085 to 0.065–0.066 s.
import type { GradConfig, Tensor } from "@tensorflow/tfjs";

import type { NativeTensorflow } from "./tf.js";
import { isNativeBackend, nativeOps } from "./native-ops.js";

/**
 * Registers ReLU's gradient as TensorFlow's ReluGrad (dy where x > 0, else 0) for float32 inputs on the native
 * backend; other dtypes, and a process that has since switched to another backend (the registry is global), keep
 * tfjs's formula. The one difference: a NaN in x gives 0 here and NaN in tfjs, which training never sees, since a
 * NaN loss stops it.
 */
export function useNativeReluGradient(tf: NativeTensorflow): void {
  const ops = nativeOps(tf);
  const T = ops.float32();
  const config: GradConfig = {
    kernelName: tf.Relu,
    inputsToSave: ["x"],
    gradFunc: (dy, saved) => {
      const [x] = saved as [Tensor];
      const grad = dy as Tensor;
      return {
        x: () =>
          x.dtype === "float32" && isNativeBackend(tf)
            ? ops.run("ReluGrad", [T], [grad, x])
            : tf.mul(grad, tf.cast(tf.step(x), "float32")),
      };
    },
  };
  tf.registerGradient(config);
}
