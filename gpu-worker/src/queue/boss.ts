import PgBoss from "pg-boss";
import { resolveDatabase } from "@curator/db/client.js";
import { QUEUES, type QueueName } from "./queues.js";

export interface BossOptions {
  /** How often one of the connected processes expires dead leases and archives; also bounds failover latency. */
  maintenanceSeconds?: number;
  pollingSeconds?: number;
}

/** Whether DATABASE_URL (or `url`) names a database the queues can live in: PostgreSQL. */
export function queueConfigured(url?: string): boolean {
  return resolveDatabase(url).backend === "postgres";
}

/**
 * pg-boss on the database DATABASE_URL names, with every curator queue created. pg-boss keeps its jobs in
 * PostgreSQL tables (schema `pgboss`) and hands them out with SELECT … FOR UPDATE SKIP LOCKED, so any number of
 * worker processes on any machines share one queue; SQLite has no such locking, so it is refused by name.
 */
export async function openBoss(options: BossOptions = {}, url?: string): Promise<PgBoss> {
  const target = resolveDatabase(url);
  if (target.backend !== "postgres") {
    throw new Error(
      `the work queue needs PostgreSQL (pg-boss keeps its jobs there), but DATABASE_URL selects SQLite (${target.url}); ` +
        "set DATABASE_URL=postgresql://… for scale-out workers, or run the stage directly (`curator features`)",
    );
  }
  const boss = new PgBoss({
    connectionString: target.url,
    application_name: `curator-worker-${process.pid}`,
    max: 4,
    maintenanceIntervalSeconds: options.maintenanceSeconds ?? 30,
    ...(options.pollingSeconds !== undefined ? { pollingIntervalSeconds: options.pollingSeconds } : {}),
  });
  // pg-boss reports maintenance and polling failures as events; unhandled, an 'error' event would crash the process.
  boss.on("error", (err) => console.error(`queue: ${err.message}`));
  await boss.start();
  for (const [name, queue] of Object.entries(QUEUES) as [QueueName, PgBoss.Queue][]) await boss.createQueue(name, { ...queue, name });
  return boss;
}
