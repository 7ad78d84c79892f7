// Bulk row inserts that bypass the Prisma client: at a million rows its query building and the garbage it leaves
// dominated a CPU profile of the factor-set writes (2,950 rows/s on SQLite, against 96,000 through the driver). The
// rows go through a driver connection of their own, so they cannot join a Prisma transaction: callers use this for
// rows no reader sees yet (a BUILDING factor set) and commit their visibility with Prisma afterwards.
import Database from "better-sqlite3";
import pg from "pg";
import { targetOf, type Db } from "./client.js";
import { tuneSqlite } from "./sqlite-connection.js";

/** Column types as PostgreSQL names them; SQLite stores the same values as INTEGER, REAL and BLOB. */
export type BulkType = "int4" | "float8" | "bytea";
export type BulkValue = number | Uint8Array | null;

export interface BulkTable {
  name: string;
  columns: readonly { name: string; type: BulkType }[];
}

/** A row keyed by column name, the shape Prisma's createMany takes, so one row builder serves both paths. */
export type BulkRow = Readonly<Record<string, BulkValue>>;

// Rows per statement: SQLite binds at most 32,766 values; PostgreSQL takes each column as one array parameter.
const SQLITE_ROWS = 100;
const POSTGRES_ROWS = 5000;

/**
 * Inserts `rows` (every column of `table` present) in one transaction: on SQLite as prepared multi-row INSERTs, on
 * PostgreSQL as `INSERT … SELECT FROM unnest($1::int4[], …)` statements, one array parameter per column (binary
 * values travel hex-encoded inside the array literal; COPY would need another package for little gain at these row
 * widths). Returns the number of rows written.
 */
export async function bulkInsert(db: Db, table: BulkTable, rows: readonly BulkRow[]): Promise<number> {
  for (const [i, row] of rows.entries()) {
    const missing = table.columns.filter((c) => row[c.name] === undefined);
    if (missing.length) throw new RangeError(`${table.name} row ${i}: no value for ${missing.map((c) => c.name).join(", ")}`);
  }
  const target = targetOf(db);
  // A second connection to ":memory:" would open another, empty database.
  if (target.sqlitePath === ":memory:") throw new Error(`bulk insert into ${table.name}: an in-memory SQLite database has no second connection; use a file`);
  if (target.backend === "sqlite") insertSqlite(target.sqlitePath!, table, rows);
  else await insertPostgres(target.url, table, rows);
  return rows.length;
}

function insertSqlite(path: string, table: BulkTable, rows: readonly BulkRow[]): void {
  const sqlite = new Database(path);
  try {
    // The same pragmas as the Prisma client's connections; the transaction takes the write lock up front.
    tuneSqlite(sqlite);
    const head = `INSERT INTO "${table.name}" (${table.columns.map((c) => `"${c.name}"`).join(", ")}) VALUES `;
    const tuple = `(${table.columns.map(() => "?").join(", ")})`;
    const full = sqlite.prepare(head + Array(SQLITE_ROWS).fill(tuple).join(", "));
    sqlite.transaction(() => {
      let start = 0;
      for (; start + SQLITE_ROWS <= rows.length; start += SQLITE_ROWS) full.run(values(table, rows, start, start + SQLITE_ROWS));
      if (start < rows.length) sqlite.prepare(head + Array(rows.length - start).fill(tuple).join(", ")).run(values(table, rows, start, rows.length));
    }).immediate();
  } finally {
    sqlite.close();
  }
}

async function insertPostgres(url: string, table: BulkTable, rows: readonly BulkRow[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const sql =
    `INSERT INTO "${table.name}" (${table.columns.map((c) => `"${c.name}"`).join(", ")}) ` +
    `SELECT * FROM unnest(${table.columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(", ")})`;
  try {
    await client.query("BEGIN");
    for (let start = 0; start < rows.length; start += POSTGRES_ROWS) {
      const chunk = rows.slice(start, start + POSTGRES_ROWS);
      await client.query(sql, table.columns.map((c) => chunk.map((row) => driverValue(row[c.name]!))));
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

/** Rows start..end as one flat list of bound values, in column order. */
function values(table: BulkTable, rows: readonly BulkRow[], start: number, end: number): (number | Buffer | null)[] {
  const out: (number | Buffer | null)[] = [];
  for (let r = start; r < end; r++) for (const c of table.columns) out.push(driverValue(rows[r]![c.name]!));
  return out;
}

// Both drivers take binary values as Buffers (node-postgres writes one inside an array as \x-hex); a Uint8Array is
// wrapped without copying.
function driverValue(value: BulkValue): number | Buffer | null {
  return value instanceof Uint8Array && !(value instanceof Buffer) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value;
}
