// A running job's lease: its process renews the heartbeat while it lives, so a job whose process died (kill -9,
// a lost machine) is seen as abandoned instead of RUNNING forever.
import type { Db } from "@curator/db/client.js";

/**
 * A RUNNING job whose heartbeat is older than this is abandoned. Long: a stage's event loop can be busy for
 * minutes (an ALS iteration at scale), and on SQLite a heartbeat written inside a long import's transaction only
 * shows when it commits.
 */
export const JOB_LEASE_MS = 15 * 60_000;
/** How often a running job's process renews its heartbeat, whatever its progress. */
export const HEARTBEAT_MS = 60_000;

export interface LeasedJob {
  status: string;
  heartbeatAt: Date | null;
  startedAt: Date | null;
}

/** Whether a job is RUNNING with no heartbeat within the lease. */
export function isAbandoned(job: LeasedJob, now: number = Date.now()): boolean {
  const last = job.heartbeatAt ?? job.startedAt;
  return job.status === "RUNNING" && last !== null && now - last.getTime() > JOB_LEASE_MS;
}

/** What an abandoned job's record says, with what to do. */
export function abandonedReason(job: LeasedJob): string {
  const last = job.heartbeatAt ?? job.startedAt;
  return `abandoned: no heartbeat since ${last?.toISOString()} (its process ended without finishing); run the stage again, with --resume to continue`;
}

/** Marks every abandoned job FAILED with the reason (still resumable: --resume takes FAILED jobs); returns how many. */
export async function markAbandonedJobs(db: Db, now: number = Date.now()): Promise<number> {
  const stale = await db.job.findMany({
    where: { status: "RUNNING", OR: [{ heartbeatAt: { lt: new Date(now - JOB_LEASE_MS) } }, { heartbeatAt: null, startedAt: { lt: new Date(now - JOB_LEASE_MS) } }] },
    select: { id: true, status: true, heartbeatAt: true, startedAt: true },
  });
  for (const job of stale) {
    // Only if still stale: the process may have renewed it since the read.
    await db.job.updateMany({ where: { id: job.id, status: "RUNNING", heartbeatAt: job.heartbeatAt }, data: { status: "FAILED", error: abandonedReason(job), finishedAt: new Date(now) } });
  }
  return stale.length;
}
