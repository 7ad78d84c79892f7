// `node server/dist/index-worker.js`: serves the `index` queue (search-index builds of newly active factor sets)
// until SIGINT/SIGTERM, beside any number of `curator worker` processes. It lives in the server package because
// FAISS does; the queue, its leases and retries are the worker package's (gpu-worker/src/queue).
import { parseArgs } from "node:util";
import { openDb } from "@curator/db/client.js";
import { openBoss } from "@curator/worker/queue/boss.js";
import { logEvent } from "@curator/worker/queue/events.js";
import { defaultIndexDir } from "./index/index-file.js";
import { runIndexJob, type IndexJob } from "./index/index-jobs.js";

const usage = "usage: node server/dist/index-worker.js [--index-dir DIR] [--poll-seconds S] [--maintenance-seconds S]";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { "index-dir": { type: "string" }, "poll-seconds": { type: "string", default: "2" }, "maintenance-seconds": { type: "string", default: "30" } },
  });
  const pollingSeconds = seconds(values["poll-seconds"], "--poll-seconds");
  const maintenanceSeconds = seconds(values["maintenance-seconds"], "--maintenance-seconds");
  const dir = values["index-dir"] ?? defaultIndexDir();
  const db = openDb();
  const boss = await openBoss({ maintenanceSeconds, pollingSeconds });
  const log = (line: string) => console.error(`index: ${line}`);
  await boss.work<IndexJob>("index", { batchSize: 1, pollingIntervalSeconds: pollingSeconds, includeMetadata: true }, async ([job]) => {
    logEvent({ event: "batch", queue: "index", key: `index:set${job!.data.factorSetId}`, queueJob: job!.id, attempt: job!.retryCount + 1, tracks: 0 });
    return { outcome: await runIndexJob(db, job!.data, dir, log) };
  });
  console.error(`index worker ${process.pid}: serving index into ${dir}; SIGINT/SIGTERM finishes the running build and stops`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await boss.stop({ graceful: true, wait: true, timeout: 60_000 });
  await db.$disconnect();
  console.error(`index worker ${process.pid}: stopped`);
}

function seconds(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of seconds, got "${value}"\n${usage}`);
  return n;
}

main().then(
  // pg's pool keeps the event loop alive after the clients are closed.
  () => process.exit(0),
  (err: unknown) => {
    console.error(`index worker: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
