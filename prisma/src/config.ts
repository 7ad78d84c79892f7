import { mkdirSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { repoRoot } from "./repo-root.js";
import { setting } from "./settings.js";

export { repoRoot };

/** The embedded default: one SQLite file in DATA_DIR, so a fresh clone needs no server. */
export function defaultDatabaseUrl(): string {
  return `file:${resolve(setting("DATA_DIR"), "curator.db")}`;
}

export type Backend = "sqlite" | "postgres";

export interface DatabaseTarget {
  backend: Backend;
  url: string;
  /** For SQLite: the absolute file path (":memory:" allowed). */
  sqlitePath?: string;
}

/**
 * Parses DATABASE_URL (or the given URL): `file:` paths select SQLite, `postgres://` / `postgresql://` select
 * PostgreSQL. Relative SQLite paths resolve against the repository root, not the working directory, so every
 * workspace and script opens the same file.
 */
export function resolveDatabase(url: string = setting("DATABASE_URL") ?? defaultDatabaseUrl()): DatabaseTarget {
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return { backend: "postgres", url };
  if (url.startsWith("file:")) {
    const raw = url.slice("file:".length);
    const sqlitePath = raw === ":memory:" ? raw : isAbsolute(raw) ? raw : resolve(repoRoot, raw);
    if (sqlitePath !== ":memory:") mkdirSync(dirname(sqlitePath), { recursive: true });
    return { backend: "sqlite", url: `file:${sqlitePath}`, sqlitePath };
  }
  throw new Error(`DATABASE_URL "${url}" is not supported: use file:<path> (SQLite) or postgresql://… (PostgreSQL)`);
}
