import type { Db } from "@curator/db/client.js";
import type { JobStatus } from "@curator/db/client.js";
import { cliLogger, type Logger } from "../log.js";
import { createProgressView, type ProgressView } from "./progress.js";
import { HEARTBEAT_MS, markAbandonedJobs } from "./lease.js";

export interface BadItem {
  item: string;
  reason: string;
}

/** What a running stage sees of its job: progress, bad items, a resume checkpoint and a plotted series. */
export interface JobHandle<C> {
  readonly id: number;
  /** The checkpoint of the run being resumed, or undefined on a fresh run. */
  readonly resumeFrom: C | undefined;
  progress(done: number, total: number, item?: string): Promise<void>;
  /** Records the state after a committed unit of work; `--resume` starts from the last one stored. */
  checkpoint(state: C): Promise<void>;
  /** Records an item the stage skipped; the batch goes on and the job ends PARTIAL. */
  bad(item: string, reason: string): Promise<void>;
  /** Appends a point to the job's series (the training loss curve). */
  plot(point: Record<string, number>): Promise<void>;
  message(text: string): Promise<void>;
}

export interface RunJobOptions {
  stage: string;
  params?: Record<string, unknown>;
  /** Continue the latest unfinished job of this stage instead of starting a new one. */
  resume?: boolean;
  /** Reuse this job row (created by the API or a queue) instead of creating one. */
  jobId?: number;
  quiet?: boolean;
  /** Where the job's events go (start, bad items, end): by default the CLI's logger on stderr. */
  log?: Logger;
}

export interface JobOutcome<R> {
  jobId: number;
  status: JobStatus;
  result: R;
  bad: BadItem[];
}

const PROGRESS_WRITE_INTERVAL_MS = 1000;
/** Bad items per write: a few kB each at most (reasons are one line), well under every parameter limit. */
const BAD_ITEMS_PER_WRITE = 500;

/**
 * The job was cancelled (the API's cancelJob marks the row CANCELLED): a stage sees this thrown from a progress,
 * checkpoint or plot call, that is between items, so what it committed so far stays and nothing is half-written.
 */
export class JobCancelledError extends Error {
  constructor(readonly jobId: number) {
    super(`job #${jobId} was cancelled`);
    this.name = "JobCancelledError";
  }
}

const partial: number[] = [];

/** Jobs this process ran that ended PARTIAL: the CLI exits non-zero after them (a FAILED job throws instead). */
export function partialJobIds(): readonly number[] {
  return partial;
}

/**
 * Runs one long stage as a job record the UI can read. The body reports progress and bad items; the job ends
 * SUCCEEDED, PARTIAL (some items bad, listed with their reasons) or FAILED (the body threw), and the bad items
 * are printed at the end.
 */
export async function runJob<C, R>(db: Db, options: RunJobOptions, body: (job: JobHandle<C>) => Promise<R>): Promise<JobOutcome<R>> {
  const { row, resumeFrom } = await openJobRow<C>(db, options);
  const log = (options.log ?? cliLogger()).child({ job: row.id, stage: options.stage });
  const started = Date.now();
  log.info({ params: options.params ?? {}, resumed: resumeFrom !== undefined }, "job started");
  const view: ProgressView = options.quiet ? { update() {}, stop() {} } : createProgressView(options.stage);
  const bad: BadItem[] = [];
  let lastWrite = 0;
  // The lease (lease.ts): renewed while this process lives, whether or not the body reports progress.
  const heartbeat = setInterval(() => {
    db.job.updateMany({ where: { id: row.id, status: "RUNNING" }, data: { heartbeatAt: new Date() } }).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();

  // Bad items are written in batches (one transaction each took ~3 ms: 200k bad items ran ten minutes), at least
  // once a second while they come and before the job's end is recorded.
  const unwrittenBad: BadItem[] = [];
  let lastBadWrite = Date.now();
  const writeBad = async () => {
    lastBadWrite = Date.now();
    while (unwrittenBad.length > 0) {
      const items = unwrittenBad.splice(0, BAD_ITEMS_PER_WRITE);
      await db.$transaction([
        db.jobBadItem.createMany({ data: items.map((b) => ({ jobId: row.id, ...b })) }),
        db.job.update({ where: { id: row.id }, data: { failed: { increment: items.length } } }),
      ]);
    }
  };

  // Writes that only land while the row is RUNNING: none landing means the job was cancelled meanwhile.
  const whileRunning = async (data: { done?: number; total?: number; checkpoint?: string; series?: string; heartbeatAt?: Date }) => {
    const { count } = await db.job.updateMany({ where: { id: row.id, status: "RUNNING" }, data });
    if (count === 0) throw new JobCancelledError(row.id);
  };

  const handle: JobHandle<C> = {
    id: row.id,
    resumeFrom,
    async progress(done, total, item) {
      view.update(done, total, item);
      const now = Date.now();
      if (now - lastWrite < PROGRESS_WRITE_INTERVAL_MS && done < total) return;
      lastWrite = now;
      await whileRunning({ done, total, heartbeatAt: new Date() });
    },
    async checkpoint(state) {
      await whileRunning({ checkpoint: JSON.stringify(state), heartbeatAt: new Date() });
    },
    async bad(item, reason) {
      bad.push({ item, reason });
      log.warn({ item, reason }, "bad item skipped");
      unwrittenBad.push({ item, reason });
      if (unwrittenBad.length >= BAD_ITEMS_PER_WRITE || Date.now() - lastBadWrite >= PROGRESS_WRITE_INTERVAL_MS) await writeBad();
    },
    async plot(point) {
      const current = await db.job.findUniqueOrThrow({ where: { id: row.id }, select: { series: true } });
      const series = JSON.parse(current.series) as unknown[];
      series.push(point);
      await whileRunning({ series: JSON.stringify(series) });
    },
    async message(text) {
      await db.job.update({ where: { id: row.id }, data: { message: text } });
    },
  };

  try {
    const result = await body(handle);
    await writeBad();
    clearInterval(heartbeat);
    view.stop();
    const status: JobStatus = bad.length > 0 ? "PARTIAL" : "SUCCEEDED";
    await db.job.update({ where: { id: row.id }, data: { status, finishedAt: new Date(), heartbeatAt: new Date() } });
    log[status === "PARTIAL" ? "warn" : "info"]({ status, durationMs: Date.now() - started, badItems: bad.length }, "job finished");
    if (!options.quiet) reportBadItems(options.stage, bad);
    if (status === "PARTIAL") partial.push(row.id);
    return { jobId: row.id, status, result, bad };
  } catch (err) {
    await writeBad().catch((error: unknown) => log.error({ error: String(error) }, "bad items not recorded"));
    clearInterval(heartbeat);
    view.stop();
    // Whatever the stage threw (it may wrap the cancellation), a CANCELLED row stays CANCELLED with its reason.
    if ((await db.job.findUnique({ where: { id: row.id }, select: { status: true } }))?.status === "CANCELLED") {
      await db.job.update({ where: { id: row.id }, data: { finishedAt: new Date() } });
      log.warn({ status: "CANCELLED", durationMs: Date.now() - started, badItems: bad.length }, "job cancelled");
      throw err instanceof JobCancelledError ? err : new JobCancelledError(row.id);
    }
    const message = err instanceof Error ? err.message : String(err);
    await db.job.update({ where: { id: row.id }, data: { status: "FAILED", error: message, finishedAt: new Date() } });
    log.error({ status: "FAILED", durationMs: Date.now() - started, badItems: bad.length, error: message }, "job failed");
    if (!options.quiet) reportBadItems(options.stage, bad);
    throw err;
  }
}

async function openJobRow<C>(db: Db, options: RunJobOptions) {
  await markAbandonedJobs(db);
  const params = JSON.stringify(options.params ?? {});
  if (options.jobId !== undefined) {
    // Not a row cancelled since the caller read it: that one stays CANCELLED.
    const { count } = await db.job.updateMany({ where: { id: options.jobId, status: { not: "CANCELLED" } }, data: { status: "RUNNING", startedAt: new Date(), heartbeatAt: new Date() } });
    if (count === 0) throw new JobCancelledError(options.jobId);
    const row = await db.job.findUniqueOrThrow({ where: { id: options.jobId } });
    return { row, resumeFrom: parseCheckpoint<C>(row.checkpoint) };
  }
  if (options.resume) {
    const previous = await db.job.findFirst({
      where: { stage: options.stage, status: { in: ["RUNNING", "FAILED", "QUEUED"] } },
      orderBy: { id: "desc" },
    });
    if (previous) {
      const row = await db.job.update({
        where: { id: previous.id },
        data: { status: "RUNNING", error: null, finishedAt: null, heartbeatAt: new Date() },
      });
      console.error(`${options.stage}: resuming job #${row.id}`);
      return { row, resumeFrom: parseCheckpoint<C>(row.checkpoint) };
    }
    console.error(`${options.stage}: nothing to resume, starting a new job`);
  }
  const row = await db.job.create({ data: { stage: options.stage, params, status: "RUNNING", startedAt: new Date(), heartbeatAt: new Date() } });
  return { row, resumeFrom: undefined };
}

function parseCheckpoint<C>(raw: string | null): C | undefined {
  return raw === null ? undefined : (JSON.parse(raw) as C);
}

function reportBadItems(stage: string, bad: BadItem[]): void {
  if (bad.length === 0) return;
  console.error(`${stage}: ${bad.length} item(s) skipped:`);
  for (const { item, reason } of bad) console.error(`  ${item}: ${reason}`);
}
