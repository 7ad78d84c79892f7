import { openDb, type Db } from "@curator/db/client.js";

/** Runs a command body with a database client that is always disconnected afterwards. */
export async function withDb<T>(body: (db: Db) => Promise<T>): Promise<T> {
  const db = openDb();
  try {
    return await body(db);
  } finally {
    await db.$disconnect();
  }
}
