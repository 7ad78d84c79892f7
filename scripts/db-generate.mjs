// Generates the Prisma clients for both backends from the one source schema (prisma/schema.prisma, SQLite).
// The PostgreSQL schema differs only in its provider and output folder, so it is derived, never edited.
// PRISMA_SCHEMA_ENGINE_BINARY points at an existing file so the CLI skips its (offline-impossible) engine download;
// generate never runs that engine.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const prismaDir = join(dirname(fileURLToPath(import.meta.url)), "..", "prisma");
const source = readFileSync(join(prismaDir, "schema.prisma"), "utf8");
const postgres = source
  .replace('provider = "sqlite"', 'provider = "postgresql"')
  .replace('output              = "src/generated/sqlite"', 'output              = "../postgres"');
if (postgres === source || !postgres.includes('"../postgres"')) {
  throw new Error("db-generate: could not derive the PostgreSQL schema (provider/output lines changed?)");
}
const pgSchemaDir = join(prismaDir, "src", "generated", "schemas");
mkdirSync(pgSchemaDir, { recursive: true });
const pgSchema = join(pgSchemaDir, "postgres.prisma");
writeFileSync(pgSchema + ".tmp", postgres);
renameSync(pgSchema + ".tmp", pgSchema);

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", PRISMA_HIDE_UPDATE_MESSAGE: "1" };
for (const schema of [join(prismaDir, "schema.prisma"), pgSchema]) {
  execFileSync("npx", ["prisma", "generate", "--schema", schema], { cwd: prismaDir, env, stdio: ["ignore", "ignore", "inherit"] });
}
console.error("db-generate: clients for sqlite and postgres generated");
