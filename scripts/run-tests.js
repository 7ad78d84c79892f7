// Runs every compiled test file with node's test runner, with a throwaway PostgreSQL cluster for the tests that
// need one (TEST_POSTGRES_URL). Usage: node scripts/run-tests.js [substring…] to run only matching files.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const filters = process.argv.slice(2);

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith(".test.js") ? [path] : [];
  });
}

const files = findTests(join(root, "test", "dist"))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`run-tests: no compiled tests match ${filters.join(" ") || "test/dist/**/*.test.js"}`);
  process.exit(1);
}

const pgDir = mkdtempSync(join(tmpdir(), "curator-test-pg-"));
const pgPort = String(20000 + (process.pid % 20000));
const pgUrl = execFileSync("bash", [join(root, "scripts/pg-throwaway.sh"), "start", pgDir, pgPort], { encoding: "utf8" }).trim();
// Migrated once here; tests copy it as a template database (test/support/db.ts).
execFileSync(process.execPath, [join(root, "prisma/dist/migrate-cli.js"), "deploy"], { env: { ...process.env, DATABASE_URL: pgUrl }, stdio: "inherit" });
console.error(`run-tests: ${files.length} files; throwaway PostgreSQL at ${pgUrl}`);

const child = spawn(process.execPath, ["--test", "--test-reporter=spec", ...files.map((f) => relative(root, f))], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, TEST_POSTGRES_URL: pgUrl, NODE_ENV: "test" },
});
const stop = () => {
  execFileSync("bash", [join(root, "scripts/pg-throwaway.sh"), "stop", pgDir]);
  rmSync(pgDir, { recursive: true, force: true });
};
process.on("SIGINT", () => child.kill("SIGINT"));
child.on("exit", (code, signal) => {
  stop();
  process.exit(code ?? (signal ? 1 : 0));
});
