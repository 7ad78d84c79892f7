// TensorFlow ops that tfjs-node does not wrap, run by name through its binding. Only on the "tensorflow" backend
// (tfjs-node, tfjs-node-gpu), which is always tfjs-node's NodeJSKernelBackend.
import type { Tensor } from "@tensorflow/tfjs";

import type { Tf } from "./tf.js";

type AttrValue = number | boolean | string | number[];

export interface OpAttr {
  name: string;
  type: number;
  value: AttrValue;
}

interface NativeKernelBackend {
  binding: {
    TF_ATTR_TYPE: number;
    TF_ATTR_BOOL: number;
    TF_ATTR_STRING: number;
    TF_ATTR_SHAPE: number;
    TF_FLOAT: number;
  };
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: Tensor[]): Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: Tensor[], outputs: number): Tensor[];
}

export interface NativeOps {
  /** The `T` (or another type attribute's) value for float32. */
  float32(name?: string): OpAttr;
  bool(name: string, value: boolean): OpAttr;
  string(name: string, value: string): OpAttr;
  shape(name: string, value: readonly number[]): OpAttr;
  /** An op with one output, which the caller owns. */
  run(op: string, attrs: OpAttr[], inputs: Tensor[]): Tensor;
  /** An op run for its effect on a resource (no outputs). */
  effect(op: string, attrs: OpAttr[], inputs: Tensor[]): void;
}

export function isNativeBackend(tf: Tf): boolean {
  return tf.getBackend() === "tensorflow";
}

export function nativeOps(tf: Tf): NativeOps {
  if (!isNativeBackend(tf)) throw new Error(`native TensorFlow ops need the tensorflow backend, not ${tf.getBackend()}`);
  const backend = tf.backend() as unknown as NativeKernelBackend;
  const { binding } = backend;
  return {
    float32: (name = "T") => ({ name, type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT }),
    bool: (name, value) => ({ name, type: binding.TF_ATTR_BOOL, value }),
    string: (name, value) => ({ name, type: binding.TF_ATTR_STRING, value }),
    shape: (name, value) => ({ name, type: binding.TF_ATTR_SHAPE, value: [...value] }),
    run: (op, attrs, inputs) => backend.executeSingleOutput(op, attrs, inputs),
    effect: (op, attrs, inputs) => void backend.executeMultipleOutputs(op, attrs, inputs, 0),
  };
}
