/**
 * A fixed set of worker threads over one shared fit state, alive for the whole fit: spawning per
 * half-iteration would cost more than a small half-iteration. With one thread no worker is started and jobs
 * run inline, through the same `runJob`.
 */
import { Worker } from "node:worker_threads";
import { lazySimdKernels } from "./simd.js";
import { type CgWorkspace, RowScratch } from "./solve.js";
import { type Job, runJob, type SharedFitState } from "./work.js";

type Reply = { ok: true } | { error: string };

export class AlsPool {
  private readonly workers: Worker[];
  private readonly inline: { scratch: RowScratch; ws: CgWorkspace } | null;

  constructor(
    private readonly state: SharedFitState,
    threads: number,
  ) {
    if (state.cgBuffers.length < threads) throw new RangeError(`${threads} threads but CG buffers for ${state.cgBuffers.length}`);
    this.inline =
      threads === 1
        ? { scratch: new RowScratch(state.factors), ws: { ...state.cgBuffers[0]!, kernels: lazySimdKernels(state.memory, state.factors) } }
        : null;
    this.workers =
      threads === 1
        ? []
        : Array.from(
            { length: threads },
            (_, thread) => new Worker(new URL("./als-worker.js", import.meta.url), { workerData: { state, thread } }),
          );
  }

  /** Runs one job over all rows of its side; resolves when every row is done. */
  async run(job: Job): Promise<void> {
    Atomics.store(this.state.cursor, 0, 0);
    if (this.inline !== null) {
      runJob(this.state, job, this.inline.scratch, this.inline.ws);
      return;
    }
    const replies = this.workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          const settle = (err: Error | null): void => {
            w.off("message", onMessage).off("error", onError).off("exit", onExit);
            if (err === null) resolve();
            else reject(err);
          };
          const onMessage = (reply: Reply): void => settle("error" in reply ? new Error(reply.error) : null);
          const onError = (err: Error): void => settle(err);
          const onExit = (code: number): void => settle(new Error(`ALS worker exited (code ${code}) during a ${job.kind} job`));
          w.on("message", onMessage).on("error", onError).on("exit", onExit);
          w.postMessage(job);
        }),
    );
    // Wait for every worker even after a failure, so no worker still writes factors when we return.
    const results = await Promise.allSettled(replies);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed !== undefined) throw failed.reason;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
