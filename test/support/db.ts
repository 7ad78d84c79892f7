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
export async function freshSqlite(options: Omit<OpenDbOptions, "url"> = {}): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), "curator-test-"));
  const url = `file:${join(dir, "test.db")}`;
  await deployMigrations(url);
  const db = openDb({ ...options, url });
  return {
    url,
    db,
    async close() {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A migrated database of its own in the throwaway PostgreSQL cluster that scripts/run-tests.js starts
 * (TEST_POSTGRES_URL), dropped on close. Returns undefined when no cluster was started (a single file run by hand).
 */
export async function freshPostgres(options: Omit<OpenDbOptions, "url"> = {}): Promise<TestDb | undefined> {
  const admin = process.env.TEST_POSTGRES_URL;
  if (!admin) return undefined;
  const name = `t_${randomBytes(6).toString("hex")}`;
  // The runner migrated the cluster's `curator` database once; copying it is much faster than migrating again.
  await adminQuery(admin, `CREATE DATABASE ${name} TEMPLATE curator`);
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  const db = openDb({ ...options, url });
  return {
    url,
    db,
    async close() {
      await db.$disconnect();
      await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
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

/** Both backends the suite must pass on; PostgreSQL only when the runner started a cluster. */
export async function eachBackend(): Promise<{ name: string; open: () => Promise<TestDb | undefined> }[]> {
  return [
    { name: "sqlite", open: () => freshSqlite() },
    { name: "postgres", open: () => freshPostgres() },
  ];
}
