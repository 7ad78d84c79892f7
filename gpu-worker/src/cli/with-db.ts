import type PgBoss from "pg-boss";
import { openDb, type Db } from "@curator/db/client.js";
import { openBoss } from "../queue/boss.js";

/** Runs a command body with a database client that is always disconnected afterwards. */
export async function withDb<T>(body: (db: Db) => Promise<T>): Promise<T> {
  const db = openDb();
  try {
    return await body(db);
  } finally {
    await db.$disconnect();
  }
}

/** Runs a command body with a short-lived queue client (sending jobs only), always stopped afterwards. */
export async function withBoss<T>(body: (boss: PgBoss) => Promise<T>): Promise<T> {
  const boss = await openBoss();
  try {
    return await body(boss);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
