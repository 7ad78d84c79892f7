import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMigration, deployMigrations } from "./migrate.js";
import { resolveDatabase } from "./config.js";

const usage = `usage: node prisma/dist/migrate-cli.js deploy          apply pending migrations to DATABASE_URL (default data/curator.db)
       node prisma/dist/migrate-cli.js diff NAME [PG_SCRATCH_URL]
                                                     write new migrations for sqlite (and postgres when a scratch URL is given)`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === "deploy") {
    const applied = await deployMigrations();
    const target = resolveDatabase();
    console.error(`migrate: ${applied.length ? `applied ${applied.join(", ")}` : "already up to date"} (${target.backend})`);
    return;
  }
  if (command === "diff" && rest[0]) {
    const scratch = mkdtempSync(join(tmpdir(), "curator-migrate-"));
    try {
      const sqliteDir = await createMigration("sqlite", rest[0], `file:${join(scratch, "scratch.db")}`);
      console.error(sqliteDir ? `migrate: wrote ${sqliteDir}` : "migrate: sqlite schema unchanged");
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    if (rest[1]) {
      const pgDir = await createMigration("postgres", rest[0], rest[1]);
      console.error(pgDir ? `migrate: wrote ${pgDir}` : "migrate: postgres schema unchanged");
    }
    return;
  }
  console.error(usage);
  process.exitCode = 2;
}

main(process.argv.slice(2)).then(
  // pg's pool keeps the event loop alive after the engine is freed.
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(`migrate: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
