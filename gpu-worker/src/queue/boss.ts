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
  try {
    for (const [name, queue] of Object.entries(QUEUES) as [QueueName, PgBoss.Queue][]) await createQueue(boss, { ...queue, name });
  } catch (err) {
    await boss.stop({ graceful: false, wait: true });
    throw err;
  }
  return boss;
}

/** PostgreSQL's code for a transaction it aborted to break a deadlock. */
const DEADLOCK = "40P01";
/** Each deadlock lets the other side commit, so a few processes starting together need few retries. */
const CREATE_ATTEMPTS = 10;

/**
 * Processes that start together on a new database (workers, index workers, `curator enqueue`) create the same queues
 * at once, and pg-boss's create_queue deadlocks against itself (each inserts its queue row, then locks the queue table
 * for the new partition's foreign key). PostgreSQL aborts one side, whose statement changed nothing: run again after
 * the other side committed, it finds the queue made.
 */
async function createQueue(boss: PgBoss, queue: PgBoss.Queue): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await boss.createQueue(queue.name, queue);
    } catch (err) {
      if ((err as { code?: string }).code !== DEADLOCK || attempt === CREATE_ATTEMPTS) throw err;
    }
  }
}
