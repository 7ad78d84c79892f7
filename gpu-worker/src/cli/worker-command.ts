import { InvalidArgumentError, type Command } from "commander";
import type PgBoss from "pg-boss";
import type { Db } from "@curator/db/client.js";
import { featureModes } from "../features/descriptor.js";
import { openBoss } from "../queue/boss.js";
import { enqueueApiJobs, enqueueFeatures, enqueueIndexBuilds, type SendOptions } from "../queue/enqueue.js";
import { WORKER_QUEUE_NAMES, parseQueueNames, type WorkerQueueName } from "../queue/queues.js";
import { enqueuePredict } from "../queue/predict-plan.js";
import type { PredictMode } from "../model/stage-predict.js";
import { runWorker } from "../queue/worker.js";
import { withBoss, withDb } from "./with-db.js";
import { integer, number, oneOf } from "./parse.js";

/** A short-lived queue client beside the database, for commands that only send jobs. */
function withDbAndBoss(f: (db: Db, boss: PgBoss) => Promise<void>): Promise<void> {
  return withDb((db) => withBoss((boss) => f(db, boss)));
}

/**
 * `curator worker` and `curator enqueue`: pipeline work shared by any number of worker processes through pg-boss
 * queues in the PostgreSQL database (DATABASE_URL). On SQLite both refuse with the reason.
 */
export function registerWorkerCommands(program: Command): void {
  program
    .command("worker")
    .summary("take queued work from the PostgreSQL queue")
    .description("take queued work (feature and prediction batches, API-queued jobs) from the PostgreSQL queue until SIGINT/SIGTERM; run as many as you like")
    .option("--queues <list>", `comma-separated: ${WORKER_QUEUE_NAMES.join(", ")} (index builds: node server/dist/index-worker.js)`, parseQueueNames, [...WORKER_QUEUE_NAMES])
    .option("--concurrency <n>", "queue jobs at once per queue (each decodes one track at a time)", positive, 1)
    .option("--poll-seconds <s>", "how often an idle worker asks for work", number, 2)
    .option("--maintenance-seconds <s>", "how often dead workers' leases are checked (bounds failover time)", positive, 30)
    .option("--cache-dir <dir>", "feature cache folder (default data/features; shared storage across machines)")
    .option("--picture-dir <dir>", "spectrogram pictures folder (default data/spectrograms)")
    .option("--checkpoint-dir <dir>", "factorize checkpoints folder (default data/checkpoints)")
    .action(async (opts: WorkerCli) => {
      await withDb(async (db) => {
        const boss = await openBoss({ maintenanceSeconds: opts.maintenanceSeconds, pollingSeconds: opts.pollSeconds });
        const stop = new Promise<void>((resolve) => {
          process.once("SIGINT", () => resolve());
          process.once("SIGTERM", () => resolve());
        });
        console.error(`worker ${process.pid}: serving ${opts.queues.join(", ")} (concurrency ${opts.concurrency}); SIGINT/SIGTERM finishes running jobs and stops`);
        await runWorker(db, boss, { ...opts, pollingSeconds: opts.pollSeconds }, stop);
        console.error(`worker ${process.pid}: stopped`);
      });
    });

  const enqueue = program.command("enqueue").summary("queue feature or prediction batches for workers").description("put pipeline work on the PostgreSQL queue for `curator worker` processes");
  withSendOptions(
    enqueue
      .command("features")
      .description("split the tracks still missing features into batches of --batch track ids and queue each batch once")
      .option("--mode <mode>", "middle, whole or both", oneOf(["middle", "whole", "both"] as const), "both")
      .option("--batch <n>", "track ids per batch", positive, 20),
  ).action(async (opts: SendCli & { mode: "middle" | "whole" | "both"; batch: number }) => {
    const modes = featureModes(opts.mode);
    await withDbAndBoss(async (db, boss) => {
      const r = await enqueueFeatures(db, boss, modes, opts.batch, sendOptions(opts));
      console.error(`enqueue: ${r.tracks} tracks missing features in ${r.batches} batches: ${r.sent} queued, ${r.batches - r.sent} already waiting or running`);
    });
  });

  withSendOptions(
    enqueue
      .command("predict")
      .description("plan a predicted factor set as batches of --batch tracks with cached features and queue each once; the set becomes active when the last batch is written")
      .option("--run <id>", "model run (default: the newest READY one)", integer)
      .option("--mode <mode>", "middle (centre excerpt) or whole (mean over the track's windows)", oneOf(["middle", "whole"] as const), "middle")
      .option("--passes <n>", "MC dropout passes for each track's spread (≥ 2)", atLeastTwo, 10)
      .option("--batch <n>", "tracks per batch", positive, 500)
      .option("--replace", "drop a set of this kind still being built with other options"),
  ).action(async (opts: SendCli & { run?: number; mode: PredictMode; passes: number; batch: number; replace?: boolean }) => {
    await withDbAndBoss(async (db, boss) => {
      const r = await enqueuePredict(db, boss, { runId: opts.run, mode: opts.mode, passes: opts.passes, batchSize: opts.batch, replace: opts.replace }, sendOptions(opts));
      const what = r.resumed ? "unfinished factor set" : "new factor set";
      console.error(`enqueue: ${what} #${r.factorSetId}: ${r.tracks} tracks in ${r.batches} batches: ${r.sent} queued, ${r.batches - r.sent} done or already waiting or running`);
    });
  });

  withSendOptions(enqueue.command("index").description("queue the search-index build of every active factor set for `node server/dist/index-worker.js`")).action(
    async (opts: SendCli) => {
      await withDbAndBoss(async (db, boss) => {
        const r = await enqueueIndexBuilds(db, boss, sendOptions(opts));
        console.error(`enqueue: index builds of ${r.sets.length} active set(s) (${r.sets.map((id) => `#${id}`).join(", ") || "none"}): ${r.sent} queued`);
      });
    },
  );

  withSendOptions(enqueue.command("jobs").description("queue the Job rows the API's startJob left QUEUED (workers serving `jobs` also do this every 5 s)")).action(
    async (opts: SendCli) => {
      await withDbAndBoss(async (db, boss) => {
        const r = await enqueueApiJobs(db, boss, sendOptions(opts));
        console.error(`enqueue: ${r.sent} API job(s) queued`);
        for (const u of r.unhandled) console.error(`  job #${u.jobId} (${u.stage}): no queue handler; stays QUEUED, run \`curator ${u.stage}\``);
      });
    },
  );
}

interface WorkerCli {
  queues: WorkerQueueName[];
  concurrency: number;
  pollSeconds: number;
  maintenanceSeconds: number;
  cacheDir?: string;
  pictureDir?: string;
  checkpointDir?: string;
}

interface SendCli {
  expireSeconds?: number;
  retries?: number;
  retryDelay?: number;
}

function withSendOptions(command: Command): Command {
  return command
    .option("--expire-seconds <s>", "lease: a job running longer is taken to be dead and retried elsewhere (default: features and predict 900, index 3600, jobs 14400)", positive)
    .option("--retries <n>", "attempts after the first (default: features and predict 3, index and jobs 2)", integer)
    .option("--retry-delay <s>", "seconds before a retry, doubling each time (default: features and predict 30, index and jobs 60)", integer);
}

function sendOptions(opts: SendCli): SendOptions {
  return { expireInSeconds: opts.expireSeconds, retryLimit: opts.retries, retryDelay: opts.retryDelay };
}

function atLeastTwo(value: string): number {
  const n = integer(value);
  if (n < 2) throw new InvalidArgumentError(`"${value}" must be at least 2 (MC dropout needs two samples)`);
  return n;
}

function positive(value: string): number {
  const n = integer(value);
  if (n < 1) throw new InvalidArgumentError(`"${value}" must be at least 1`);
  return n;
}
