import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.js";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.js";
import { resolveDatabase, type DatabaseTarget } from "./config.js";
import { setting } from "./settings.js";
import { ImmediateSqliteAdapter, SQLITE_LOCK_WAIT_MS } from "./sqlite-connection.js";

/**
 * The client type every stage and resolver uses. Both generated clients come from one schema, so their model
 * APIs are identical; the SQLite one names the type.
 */
export type Db = SqliteClient;

export interface OpenDbOptions {
  url?: string;
  /** Collects every SQL statement (tests count them to prove resolvers are N+1-free). */
  onQuery?: (sql: string) => void;
  /** SQLite: how long a write waits for another process's write lock before it fails (default SQLITE_LOCK_WAIT_MS). */
  sqliteLockWaitMs?: number;
}

const targets = new WeakMap<Db, DatabaseTarget>();

/** Which backend a client opened by openDb talks to. */
export function backendOf(db: Db): DatabaseTarget["backend"] {
  return targetOf(db).backend;
}

/** The database a client opened by openDb talks to (bulk writes open their own driver connection to it). */
export function targetOf(db: Db): DatabaseTarget {
  const target = targets.get(db);
  if (!target) throw new Error("this database client was not opened by openDb");
  return target;
}

export function openDb(options: OpenDbOptions = {}): Db {
  const target = resolveDatabase(options.url);
  const log = options.onQuery ? [{ emit: "event" as const, level: "query" as const }] : [];
  const client = createClient(target, log, options.sqliteLockWaitMs ?? SQLITE_LOCK_WAIT_MS);
  if (options.onQuery) {
    const onQuery = options.onQuery;
    (client as unknown as { $on(e: "query", cb: (ev: { query: string }) => void): void }).$on("query", (ev) => onQuery(ev.query));
  }
  targets.set(client, target);
  return client;
}

function createClient(target: DatabaseTarget, log: { emit: "event"; level: "query" }[], lockWaitMs: number): Db {
  if (target.backend === "sqlite") {
    // WAL, synchronous=NORMAL, a busy timeout and immediate write transactions: see sqlite-connection.ts.
    const adapter = new ImmediateSqliteAdapter(target.sqlitePath!, lockWaitMs);
    // A transaction may wait out another process's long write (an import) for the lock: see SQLITE_LOCK_WAIT_MS.
    return new SqliteClient({ adapter, log, transactionOptions: { maxWait: lockWaitMs + 5_000 } });
  }
  const adapter = new PrismaPg({ connectionString: target.url, max: setting("DATABASE_POOL_SIZE") });
  return new PostgresClient({ adapter, log }) as unknown as Db;
}

export { resolveDatabase } from "./config.js";
export * from "./generated/sqlite/enums.js";
export type * from "./generated/sqlite/models.js";
