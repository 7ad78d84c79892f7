import type { Db } from "@curator/db/client.js";

/**
 * An earlier attempt whose worker died left its Job row RUNNING; pg-boss keeps the job id across retries, so those
 * rows are found by it and closed with the reason, and the workbench shows no phantom running batch.
 */
export async function closeAbandonedAttempts(db: Db, stage: string, queueJob: string, attempt: number): Promise<void> {
  await db.job.updateMany({
    where: { stage, status: "RUNNING", params: { contains: `"queueJob":"${queueJob}"` } },
    data: { status: "FAILED", error: `lease expired (its worker stopped or was killed); retried as attempt ${attempt}`, finishedAt: new Date() },
  });
}
