// The TensorFlow.js module types, apart from the loader (backend.ts) and the model, so that the native kernels, the
// loader and the model all import them without importing one another in a cycle.

/** tfjs-node's module: @tensorflow/tfjs plus the native binding. */
export type NativeTensorflow = typeof import("@tensorflow/tfjs-node");

/** @tensorflow/tfjs's module. */
export type PureTensorflow = typeof import("@tensorflow/tfjs");

/** Either backend's module: tfjs-node re-exports the same @tensorflow/tfjs instance. */
export type Tf = PureTensorflow;
