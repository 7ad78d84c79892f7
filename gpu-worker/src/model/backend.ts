// The one place that decides which TensorFlow.js backend the worker runs on. TensorFlow.js keeps a single global
// engine per process, so the first load wins and later calls get the same instance. Everything is imported
// dynamically: modules that never touch a model do not pay for loading libtensorflow.
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

import { setting, TF_BACKENDS } from "@curator/db/settings.js";
import { useNativeReluGradient } from "./native-relu-gradient.js";
import type { NativeTensorflow, PureTensorflow } from "./tf.js";

export type { NativeTensorflow, PureTensorflow } from "./tf.js";

export { TF_BACKENDS };
export type TfBackend = (typeof TF_BACKENDS)[number];
export type TfBackendChoice = TfBackend | "auto";

/** Native backends get the tfjs-node module (file:// model IO, tf.node); the others only the pure tfjs API. */
export type LoadedTensorflow =
  | { tf: NativeTensorflow; backend: "node-gpu" | "node"; name: string }
  | { tf: PureTensorflow; backend: "wasm" | "cpu"; name: string };

export interface LoadTensorflowOptions {
  /** Overrides the TF_BACKEND environment variable; "auto" is what an unset variable means. */
  backend?: TfBackendChoice;
}

const GPU_PACKAGE = "@tensorflow/tfjs-node-gpu";
const CPU_PACKAGE = "@tensorflow/tfjs-node";
const WASM_PACKAGE = "@tensorflow/tfjs-backend-wasm";
const BUILD_HINT = "build it with `bash scripts/native/10-tfjs-node.sh` or pick another TF_BACKEND";

const require = createRequire(import.meta.url);

let loading: Promise<LoadedTensorflow> | undefined;

export async function loadTensorflow(options: LoadTensorflowOptions = {}): Promise<LoadedTensorflow> {
  const choice = options.backend ?? setting("TF_BACKEND");
  loading ??= load(choice).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  const loaded = await loading;
  if (choice !== "auto" && loaded.backend !== choice) {
    throw new Error(
      `TensorFlow.js backend ${choice} requested, but this process already runs on ${loaded.backend} ` +
        "(TensorFlow.js has one global engine per process)",
    );
  }
  return loaded;
}

/**
 * Training on the pure-JS cpu backend is ~100× slower than native, and on wasm ~20× slower and missing the
 * Conv2DBackpropFilter kernel: refuse both unless the caller insists.
 */
export function assertTrainingBackend(loaded: Pick<LoadedTensorflow, "backend">, options: { force?: boolean } = {}) {
  if (options.force || loaded.backend === "node" || loaded.backend === "node-gpu") return;
  throw new Error(
    `refusing to train on the ${loaded.backend} TensorFlow.js backend (orders of magnitude slower than native): ` +
      "build the native one with `bash scripts/native/10-tfjs-node.sh` and use TF_BACKEND=node, or force it explicitly",
  );
}

async function load(choice: TfBackendChoice): Promise<LoadedTensorflow> {
  // Drops libtensorflow's CPU-features INFO banner, keeps its warnings and errors (its oneDNN line comes from a
  // static initializer and cannot be silenced).
  process.env.TF_CPP_MIN_LOG_LEVEL = setting("TF_CPP_MIN_LOG_LEVEL");
  const loaded = await loadChoice(choice);
  console.error(`tensorflow backend: ${loaded.name}`);
  return loaded;
}

async function loadChoice(choice: TfBackendChoice): Promise<LoadedTensorflow> {
  switch (choice) {
    case "node-gpu":
      return loadNative("node-gpu");
    case "node":
      return loadNative("node");
    case "wasm":
      return loadWasm();
    case "cpu":
      return loadPure("cpu", "cpu (pure JavaScript, tfjs 4.22)");
    case "auto":
      if (hasBuiltAddon(GPU_PACKAGE)) {
        try {
          return await loadNative("node-gpu");
        } catch (error) {
          console.error(`tensorflow backend: ${GPU_PACKAGE} is built but does not load (${message(error)}); trying CPU`);
        }
      }
      return loadNative("node");
  }
}

/**
 * tfjs-node-gpu is an optional dependency that npm installs without its addon; requiring it then throws, and a
 * GPU addon without CUDA fails in dlopen. Only a built addon is worth trying.
 */
function hasBuiltAddon(packageName: string): boolean {
  let libDir: string;
  try {
    libDir = join(dirname(require.resolve(`${packageName}/package.json`)), "lib");
  } catch {
    return false;
  }
  if (!existsSync(libDir)) return false;
  return readdirSync(libDir).some((napiDir) => existsSync(join(libDir, napiDir, "tfjs_binding.node")));
}

async function loadNative(backend: "node-gpu" | "node"): Promise<LoadedTensorflow> {
  const packageName = backend === "node-gpu" ? GPU_PACKAGE : CPU_PACKAGE;
  let tf: NativeTensorflow;
  try {
    // tfjs-node-gpu is tfjs-node's source built against the GPU libtensorflow: the same API, but TypeScript
    // treats the two copies of its classes (protected members) as unrelated types.
    tf =
      backend === "node-gpu"
        ? ((await import("@tensorflow/tfjs-node-gpu")).default as unknown as NativeTensorflow)
        : (await import("@tensorflow/tfjs-node")).default;
  } catch (error) {
    throw new Error(`TF_BACKEND=${backend}: ${packageName} does not load (${message(error)}); ${BUILD_HINT}`, {
      cause: error,
    });
  }
  if (tf.getBackend() !== "tensorflow") {
    throw new Error(`TF_BACKEND=${backend}: ${packageName} loaded but runs on "${tf.getBackend()}", not tensorflow`);
  }
  useNativeReluGradient(tf);
  // Safe: the "tensorflow" backend is always tfjs-node's NodeJSKernelBackend.
  const native = tf.backend() as unknown as { binding: { TF_Version: string }; isUsingGpuDevice: boolean };
  const device = native.isUsingGpuDevice ? "GPU" : "CPU";
  const name =
    `tensorflow (${device}, libtensorflow ${majorMinor(native.binding.TF_Version)} ` +
    `via ${packageName.replace("@tensorflow/", "")} ${majorMinor(tf.version["tfjs-node"])})`;
  return { tf, backend, name };
}

async function loadWasm(): Promise<LoadedTensorflow> {
  try {
    // A variable specifier: the package is optional and has no types in this workspace.
    const wasmSpecifier: string = WASM_PACKAGE;
    await import(wasmSpecifier);
  } catch (error) {
    throw new Error(`TF_BACKEND=wasm: ${WASM_PACKAGE} does not load (${message(error)}); add it to gpu-worker's dependencies`, {
      cause: error,
    });
  }
  return loadPure("wasm", "wasm (WebAssembly, single-threaded in Node)");
}

async function loadPure(backend: "wasm" | "cpu", name: string): Promise<LoadedTensorflow> {
  const tf: PureTensorflow = (await import("@tensorflow/tfjs")).default;
  if (!(await tf.setBackend(backend))) {
    throw new Error(`TF_BACKEND=${backend}: TensorFlow.js could not initialise the ${backend} backend`);
  }
  return { tf, backend, name };
}

function majorMinor(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0]! : String(error);
}
