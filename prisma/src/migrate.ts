import { readFileSync, readdirSync, existsSync, mkdirSync, writeFileSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import BetterSqlite from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { SQLITE_BUSY_TIMEOUT_MS } from "./sqlite-connection.js";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import * as engineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { repoRoot, resolveDatabase, type Backend, type DatabaseTarget } from "./config.js";
import { setting } from "./settings.js";

/*
 * Offline migrations. The Prisma CLI's `migrate` downloads a native schema engine, which cannot be fetched here;
 * the same engine ships as WebAssembly in @prisma/schema-engine-wasm and talks to the database through the driver
 * adapters the client already uses. This module drives it: deploy (= `prisma migrate deploy`) and diff (= `prisma
 * migrate dev --create-only`, diffing the live database against the schema, so no shadow database is needed).
 */

const noFilters = { externalTables: [], externalEnums: [] };
const prismaDir = join(repoRoot, "prisma");

export function migrationsDir(backend: Backend): string {
  return join(prismaDir, "migrations", backend);
}

function schemaFile(backend: Backend): { path: string; content: string } {
  const path = backend === "sqlite" ? join(prismaDir, "schema.prisma") : join(prismaDir, "src", "generated", "schemas", "postgres.prisma");
  if (!existsSync(path)) throw new Error(`schema ${path} is missing: run scripts/db-generate.mjs first`);
  return { path, content: readFileSync(path, "utf8") };
}

// @types/node does not declare the WebAssembly global (it lives in lib.dom); this is the part used here.
const wasmApi = (globalThis as unknown as {
  WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }> };
}).WebAssembly;

let wasmReady: Promise<void> | undefined;

/** Instantiates the engine's wasm by hand: Node 20 cannot `import` a .wasm module as the package's entry does. */
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    // The package exports no ./package.json; its bindings module sits beside the .wasm file.
    const pkgDir = dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const bytes = readFileSync(join(pkgDir, "schema_engine_bg.wasm"));
    const { instance } = await wasmApi.instantiate(bytes, { "./schema_engine_bg.js": engineBindings });
    engineBindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return wasmReady;
}

/**
 * The engine's PostgreSQL introspection reads catalog columns of pg's internal `"char"` type (OID 18), which the
 * pg driver adapter cannot map; reporting them as text (OID 25) is lossless for one-byte codes.
 */
class CharAsTextClient extends pg.Client {
  override query(...args: unknown[]): never {
    const last = args.at(-1);
    // pg-pool calls with a callback; the adapter's transactions call without one and await the promise.
    if (typeof last === "function") {
      args[args.length - 1] = (err: unknown, res: PgResult) => (last as (e: unknown, r: PgResult) => void)(err, charAsText(res));
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    return (result instanceof Promise ? result.then(charAsText) : result) as never;
  }
}

type PgResult = { fields?: { dataTypeID: number }[] } | undefined;

function charAsText(res: PgResult): PgResult {
  for (const field of res?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
  return res;
}

function adapterFactory(target: DatabaseTarget) {
  if (target.backend === "sqlite") return new PrismaBetterSqlite3({ url: target.sqlitePath!, timeout: SQLITE_BUSY_TIMEOUT_MS });
  return new PrismaPg(new pg.Pool({ connectionString: target.url, Client: CharAsTextClient }), { disposeExternalPool: true });
}

async function withEngine<T>(target: DatabaseTarget, run: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  await loadWasm();
  const schema = schemaFile(target.backend);
  const log = (line: string) => {
    if (setting("CURATOR_MIGRATE_DEBUG")) console.error(`schema-engine: ${line}`);
  };
  // Freeing the engine does not close the connections it opened; a SQLite connection left open keeps its lock and
  // stalls the next writer in this process, so every connection is tracked and disposed here.
  const factory = adapterFactory(target);
  const opened: { dispose(): Promise<void> }[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
  const engine = await engineBindings.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    log,
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  try {
    return await run(engine);
  } finally {
    engine.free();
    await Promise.all(opened.map((adapter) => adapter.dispose()));
  }
}

function readMigrations(backend: Backend): MigrationList {
  const baseDir = migrationsDir(backend);
  mkdirSync(baseDir, { recursive: true });
  const lockPath = join(baseDir, "migration_lock.toml");
  const directories = readdirSync(baseDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: directories.map((name) => {
      const file = join(baseDir, name, "migration.sql");
      const content = existsSync(file)
        ? { tag: "ok" as const, value: readFileSync(file, "utf8") }
        : { tag: "error" as const, value: `${file} is missing` };
      return { path: name, migrationFile: { path: "migration.sql", content } };
    }),
  };
}

/** Applies every migration not yet recorded in `_prisma_migrations`; returns the names applied. */
export async function deployMigrations(url?: string): Promise<string[]> {
  const target = resolveDatabase(url);
  const migrationsList = readMigrations(target.backend);
  if (migrationsList.migrationDirectories.length === 0) {
    throw new Error(`no migrations in ${migrationsList.baseDir}: create one with \`npm run db:diff -- <name>\``);
  }
  // The engine takes SQLite's exclusive lock even when nothing is pending, which a WAL database open in another
  // process (a running API) refuses: a database that has every migration is left alone.
  if (target.backend === "sqlite" && allApplied(target.sqlitePath!, migrationsList)) return [];
  const out = await withEngine(target, (engine) => engine.applyMigrations({ migrationsList, filters: noFilters }));
  return out.appliedMigrationNames;
}

/** Whether the SQLite file records every migration in `list` as finished (read only; false when it has no table). */
function allApplied(path: string, list: MigrationList): boolean {
  if (path === ":memory:" || !existsSync(path)) return false;
  const db = new BetterSqlite(path, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (!table) return false;
    const rows = db.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL").all() as { migration_name: string }[];
    const applied = new Set(rows.map((r) => r.migration_name));
    return list.migrationDirectories.every((d) => applied.has(d.path));
  } finally {
    db.close();
  }
}

/**
 * Writes a new migration for `backend` holding the SQL that takes a database migrated to the current history to
 * the current schema. Runs against a scratch database (a temp SQLite file, or the given PostgreSQL URL, which must
 * be empty). Returns the new migration's folder, or undefined when the schema has no changes.
 */
export async function createMigration(backend: Backend, name: string, scratchUrl: string): Promise<string | undefined> {
  const target = resolveDatabase(scratchUrl);
  if (target.backend !== backend) throw new Error(`scratch database ${scratchUrl} is not ${backend}`);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`migration name "${name}" must be lower-case letters, digits and _`);
  const migrationsList = readMigrations(backend);
  const sql = await withEngine(target, async (engine) => {
    if (migrationsList.migrationDirectories.length > 0) await engine.applyMigrations({ migrationsList, filters: noFilters });
    const schema = schemaFile(backend);
    const diff = await engine.diff({
      from: { tag: "schemaDatasource", files: [schema], configDir: prismaDir },
      to: { tag: "schemaDatamodel", files: [schema] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return diff.stdout ?? "";
  });
  if (sql.trim() === "" || sql.includes("This is an empty migration")) return undefined;
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const dir = join(migrationsList.baseDir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeAtomically(join(dir, "migration.sql"), sql);
  const lock = join(migrationsList.baseDir, "migration_lock.toml");
  if (!existsSync(lock)) {
    writeAtomically(lock, `# Written by prisma/src/migrate.ts. Do not edit.\nprovider = "${backend === "sqlite" ? "sqlite" : "postgresql"}"\n`);
  }
  return dir;
}

function writeAtomically(path: string, content: string): void {
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
}
