/**
 * Worker-thread entry of the ALS pool: receives the shared fit state and its thread index once, then runs
 * each posted job and answers `{ ok: true }` or `{ error }` (a solver failure names its row).
 */
import { parentPort, workerData } from "node:worker_threads";
import { lazySimdKernels } from "./simd.js";
import { RowScratch } from "./solve.js";
import { type Job, runJob, type SharedFitState } from "./work.js";

const port = parentPort;
if (port === null) throw new Error("als-worker.js must run as a worker thread");
const { state, thread } = workerData as { state: SharedFitState; thread: number };
const scratch = new RowScratch(state.factors);
const ws = { ...state.cgBuffers[thread]!, kernels: lazySimdKernels(state.memory, state.factors) };
port.on("message", (job: Job) => {
  try {
    runJob(state, job, scratch, ws);
    port.postMessage({ ok: true });
  } catch (err) {
    port.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
