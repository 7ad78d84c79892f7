// The `index` queue's handler: builds the search-index file of a newly active factor set on an index worker, so
// API servers (sharing INDEX_DIR) read it instead of each building it. Whatever activates a set queues the job
// (queueIndexIfActive in gpu-worker/src/queue/enqueue.ts): a predicted set's last batch, factorize or import-factors for a CF set.
import type { Db } from "@curator/db/client.js";
import { logEvent } from "@curator/worker/queue/events.js";
import { loadFactorSet } from "@curator/worker/storage/factor-sets.js";
import { openSetIndex } from "./index-file.js";

export interface IndexJob {
  factorSetId: number;
}

export type IndexJobOutcome = "built" | "file present" | "set gone" | "not ready" | "superseded";

/**
 * Builds the set's index file unless it exists (a server got there first, or this is a redelivery; an existing file
 * is read back and checked). A set retired meanwhile is left alone: its index would never be served.
 */
export async function runIndexJob(db: Db, job: IndexJob, dir: string, log: (line: string) => void): Promise<IndexJobOutcome> {
  const set = await db.factorSet.findUnique({ where: { id: job.factorSetId }, select: { id: true, kind: true, dims: true, status: true } });
  const outcome: IndexJobOutcome = !set
    ? "set gone"
    : set.status === "RETIRED"
      ? "superseded"
      : set.status !== "READY"
        ? "not ready"
        : openSetIndex(await loadFactorSet(db, set), dir, log).built
          ? "built"
          : "file present";
  logEvent({ event: "index-done", factorSetId: job.factorSetId, outcome });
  return outcome;
}
