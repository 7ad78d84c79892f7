import type { Command } from "commander";
import { deployMigrations } from "@curator/db/migrate.js";
import { resolveDatabase } from "@curator/db/client.js";
import { withDb } from "./with-db.js";
import { integer } from "./parse.js";

export function registerDbCommands(program: Command): void {
  program
    .command("migrate")
    .description("apply pending database migrations (offline, through Prisma's WebAssembly schema engine)")
    .action(async () => {
      const applied = await deployMigrations();
      console.error(`migrate: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"} (${resolveDatabase().backend})`);
    });

  program
    .command("jobs")
    .description("list recent jobs with their progress and bad items")
    .option("-n, --limit <n>", "how many", integer, 20)
    .action((opts: { limit: number }) =>
      withDb(async (db) => {
        const jobs = await db.job.findMany({ orderBy: { id: "desc" }, take: opts.limit, include: { badItems: true } });
        for (const j of jobs) {
          console.log(`#${j.id} ${j.stage.padEnd(12)} ${j.status.padEnd(9)} ${j.done}/${j.total} failed ${j.failed}${j.error ? `  error: ${j.error}` : ""}`);
          for (const b of j.badItems) console.log(`    ${b.item}: ${b.reason}`);
        }
      }),
    );
}
