import BetterSqlite from "better-sqlite3";
import type Database from "better-sqlite3";
import { setTimeout as sleep } from "node:timers/promises";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from "@prisma/driver-adapter-utils";

/** How long a connection waits for another's write lock before a statement or transaction start gives up. */
export const SQLITE_BUSY_TIMEOUT_MS = 15_000;
/** Tries of a transaction start that found the write lock held past the busy timeout. */
export const SQLITE_BEGIN_TRIES = 4;

/**
 * The pragmas every connection to the SQLite file runs with. WAL lets readers go on while one process writes;
 * `synchronous = NORMAL` is WAL's recommended durability (a committed transaction survives a process crash, and
 * the database stays consistent on power loss) at far fewer fsyncs than FULL.
 */
export function tuneSqlite(sqlite: Database.Database): void {
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
}

/**
 * How long a write transaction waits for the write lock, without blocking the event loop, before it fails; the
 * Prisma client's transaction maxWait must be at least this (client.ts). An import is one transaction (nothing
 * half-written), so an edit beside it waits until it commits: 10 minutes covers an import of several million
 * listens on this machine (200,000 took 11–15 s under load). `openDb({ sqliteLockWaitMs })` changes it per client.
 */
export const SQLITE_LOCK_WAIT_MS = 600_000;

/**
 * Prisma's better-sqlite3 adapter with write transactions that take the write lock when they begin. Its own
 * transactions `BEGIN` deferred: a transaction that reads, then writes, fails at once (SQLITE_BUSY, no wait) when
 * another connection wrote in between, which lost whole imports beside an editor. Here a transaction first waits
 * for the lock asynchronously (a second connection tries `BEGIN IMMEDIATE` and lets go, with growing pauses, so
 * an API process keeps serving while an import holds the lock), then begins with `BEGIN IMMEDIATE`, which rides
 * out a race for the lock with the busy timeout and is tried again SQLITE_BEGIN_TRIES times. The adapter has no
 * option for the mode, so its one BEGIN statement is swapped on its connection.
 */
export class ImmediateSqliteAdapter implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "sqlite";
  readonly adapterName: string;
  readonly #inner: PrismaBetterSqlite3;
  readonly #path: string;
  readonly #lockWaitMs: number;

  constructor(path: string, lockWaitMs = SQLITE_LOCK_WAIT_MS) {
    this.#path = path;
    this.#lockWaitMs = lockWaitMs;
    this.#inner = new PrismaBetterSqlite3({ url: path, timeout: SQLITE_BUSY_TIMEOUT_MS });
    this.adapterName = this.#inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const adapter = await this.#inner.connect();
    const sqlite = (adapter as unknown as { client: Database.Database }).client;
    tuneSqlite(sqlite);
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((sql: string) => (sql === "BEGIN" ? beginImmediate(prepare) : prepare(sql))) as typeof sqlite.prepare;
    // A second connection to ":memory:" would open another database: there is no one to wait for.
    if (!/^(file:)?:memory:$/.test(this.#path)) {
      const probe = new BetterSqlite(this.#path.replace(/^file:/, ""), { timeout: 0 });
      // While this connection has a transaction open, it holds the lock itself: its statements run inside it.
      let open = 0;
      const start = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (isolationLevel) => {
        await waitForWriteLock(probe, this.#lockWaitMs);
        const tx = await start(isolationLevel);
        open++;
        for (const end of ["commit", "rollback"] as const) {
          const finish = tx[end].bind(tx);
          tx[end] = () => {
            open--;
            return finish();
          };
        }
        return tx;
      };
      // A write outside a transaction (one statement) would otherwise wait in the busy handler, blocking the process.
      for (const method of ["queryRaw", "executeRaw"] as const) {
        const run = adapter[method].bind(adapter) as (query: SqlQuery) => Promise<never>;
        adapter[method] = async (query: SqlQuery) => {
          if (open === 0 && !READ_ONLY.test(query.sql)) await waitForWriteLock(probe, this.#lockWaitMs);
          return run(query);
        };
      }
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        probe.close();
        return dispose();
      };
    }
    return adapter;
  }

  connectToShadowDb(): Promise<SqlDriverAdapter> {
    return this.#inner.connectToShadowDb();
  }
}

/** Statements that take no write lock. */
const READ_ONLY = /^\s*(SELECT|PRAGMA|EXPLAIN)\b/i;

/** Resolves once `probe` could take the write lock (and let it go), pausing between tries; rejects after `waitMs`. */
async function waitForWriteLock(probe: Database.Database, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let pause = 2; ; pause = Math.min(pause * 2, 100)) {
    try {
      probe.exec("BEGIN IMMEDIATE");
      probe.exec("ROLLBACK");
      return;
    } catch (err) {
      if (!isBusy(err)) throw err;
      if (Date.now() > deadline) throw new Error(`database is locked: another process held the write lock for over ${waitMs / 1000} s`);
    }
    await sleep(pause);
  }
}

function isBusy(err: unknown): boolean {
  return /^SQLITE_BUSY/.test((err as { code?: string }).code ?? "");
}

/** A statement whose run() begins an immediate transaction, retrying while the lock stays busy. */
function beginImmediate(prepare: Database.Database["prepare"]): Database.Statement {
  const begin = prepare("BEGIN IMMEDIATE");
  const run = begin.run.bind(begin);
  begin.run = ((...args: unknown[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return run(...(args as []));
      } catch (err) {
        if (attempt >= SQLITE_BEGIN_TRIES || !isBusy(err)) throw err;
      }
    }
  }) as typeof begin.run;
  return begin;
}
