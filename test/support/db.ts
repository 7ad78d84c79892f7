import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDb, type Db, type OpenDbOptions } from "@curator/db/client.js";
import { deployMigrations } from "@curator/db/migrate.js";

export interface TestDb {
  url: string;
  db: Db;
  close(): Promise<void>;
}

/** A migrated SQLite database in a temp folder, removed on close. */
async function freshSqlite(options: Omit<OpenDbOptions, "url"> = {}): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), "curator-test-"));
  const url = `file:${join(dir, "test.db")}`;
  await deployMigrations(url);
  return opened(url, options, () => rmSync(dir, { recursive: true, force: true }));
}

/**
 * A migrated database of its own in the throwaway PostgreSQL cluster that scripts/run-tests.js starts
 * (TEST_POSTGRES_URL), dropped on close. Returns undefined when no cluster was started (a single file run by hand).
 */
async function freshPostgres(options: Omit<OpenDbOptions, "url"> = {}): Promise<TestDb | undefined> {
  const admin = process.env.TEST_POSTGRES_URL;
  if (!admin) return undefined;
  const name = `t_${randomBytes(6).toString("hex")}`;
  // The runner migrated the cluster's `curator` database once; copying it is much faster than migrating again.
  await adminQuery(admin, `CREATE DATABASE ${name} TEMPLATE curator`);
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  return opened(url, options, () => adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** A client on `url` whose close disconnects it, then removes the database with `remove`. */
function opened(url: string, options: Omit<OpenDbOptions, "url">, remove: () => unknown): TestDb {
  const db = openDb({ ...options, url });
  return {
    url,
    db,
    async close() {
      await db.$disconnect();
      await remove();
    },
  };
}

/** Runs one statement on the cluster's maintenance database (CREATE/DROP DATABASE cannot run inside the target). */
async function adminQuery(clusterUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: clusterUrl.replace(/\/[^/]*$/, "/postgres") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export type TestBackend = "sqlite" | "postgres";

/**
 * The backend this pass of the suite runs on. scripts/run-tests.js runs every test file once with
 * CURATOR_TEST_DB=sqlite and once with CURATOR_TEST_DB=postgres (its throwaway cluster); a file run by hand uses SQLite.
 */
export function testBackend(): TestBackend {
  const name = process.env.CURATOR_TEST_DB ?? "sqlite";
  if (name !== "sqlite" && name !== "postgres") throw new Error(`CURATOR_TEST_DB must be sqlite or postgres, not "${name}"`);
  return name;
}

/**
 * A migrated, empty database of its own on this pass's backend, removed on close. Naming a backend is for tests
 * that compare the two; PostgreSQL is there only in the PostgreSQL pass.
 */
export async function freshDb(options: Omit<OpenDbOptions, "url"> = {}, backend: TestBackend = testBackend()): Promise<TestDb> {
  if (backend === "sqlite") return freshSqlite(options);
  const handle = await freshPostgres(options);
  if (!handle) throw new Error("CURATOR_TEST_DB=postgres needs TEST_POSTGRES_URL: run through `node scripts/run-tests.js`");
  return handle;
}
