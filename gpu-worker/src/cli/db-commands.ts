import { existsSync, renameSync, rmSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { deployMigrations } from "@curator/db/migrate.js";
import { resolveDatabase, type JobModel } from "@curator/db/client.js";
import { withDb } from "./with-db.js";
import { integer } from "./parse.js";

export function registerDbCommands(program: Command): void {
  program
    .command("migrate")
    .summary("apply pending database migrations")
    .description("apply pending database migrations (offline, through Prisma's WebAssembly schema engine)")
    .action(async () => {
      const applied = await deployMigrations();
      console.error(`migrate: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"} (${resolveDatabase().backend})`);
    });

  program
    .command("backup")
    .summary("copy the SQLite database while the API runs")
    .description(
      "a consistent copy of the SQLite database (VACUUM INTO: one read transaction, so the API and stages may keep " +
        "running), written beside the target and renamed into place; PostgreSQL: use pg_dump",
    )
    .argument("<file>", "the copy to write (must not exist)")
    .action((file: string) =>
      withDb(async (db) => {
        const target = resolveDatabase();
        if (target.backend !== "sqlite") throw new Error("backup copies SQLite databases; for PostgreSQL use pg_dump (see docs/operations.md)");
        const out = resolve(file);
        if (existsSync(out)) throw new Error(`${out} exists: choose a new file`);
        const partial = `${out}.partial`;
        rmSync(partial, { force: true });
        await db.$executeRawUnsafe("VACUUM INTO ?", partial);
        renameSync(partial, out);
        console.error(`backup: ${target.sqlitePath} → ${out} (${statSync(out).size} bytes)`);
      }),
    );

  program
    .command("jobs")
    .description("list recent jobs with their progress and bad items")
    .option("-n, --limit <n>", "how many", integer, 20)
    .option("--json", "one JSON array of the jobs (newest first) with their bad items on stdout")
    .action((opts: { limit: number; json?: boolean }) =>
      withDb(async (db) => {
        const jobs = await db.job.findMany({ orderBy: { id: "desc" }, take: opts.limit, include: { badItems: { select: { item: true, reason: true } } } });
        if (opts.json) return console.log(JSON.stringify(jobs.map(jobJson)));
        for (const j of jobs) {
          console.log(`#${j.id} ${j.stage.padEnd(12)} ${j.status.padEnd(9)} ${j.done}/${j.total} failed ${j.failed}${j.error ? `  error: ${j.error}` : ""}`);
          for (const b of j.badItems) console.log(`    ${b.item}: ${b.reason}`);
        }
      }),
    );
}

/** A job as `curator jobs --json` prints it: the stored JSON columns parsed, dates as ISO strings. */
function jobJson(j: JobModel & { badItems: { item: string; reason: string }[] }) {
  const { params, checkpoint, series, ...rest } = j;
  return { ...rest, params: JSON.parse(params) as unknown, hasCheckpoint: checkpoint !== null, seriesPoints: (JSON.parse(series) as unknown[]).length };
}
