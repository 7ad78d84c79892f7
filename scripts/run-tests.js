// Runs every compiled test file with node's test runner twice: once on SQLite, once on a throwaway PostgreSQL
// cluster (CURATOR_TEST_DB picks the pass's backend; test/support/db.ts opens it). Usage:
//   node scripts/run-tests.js [substring…]                 matching files only
//   CURATOR_TEST_DB=sqlite node scripts/run-tests.js …    one pass only (sqlite or postgres)
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

const passes = process.env.CURATOR_TEST_DB ? [process.env.CURATOR_TEST_DB] : ["sqlite", "postgres"];
let current;
const stop = () => {
  execFileSync("bash", [join(root, "scripts/pg-throwaway.sh"), "stop", pgDir]);
  rmSync(pgDir, { recursive: true, force: true });
};
process.on("SIGINT", () => current?.kill("SIGINT"));

function runPass(backend) {
  console.error(`run-tests: ${backend} pass`);
  return new Promise((resolve) => {
    current = spawn(process.execPath, ["--test", "--test-reporter=spec", ...files.map((f) => relative(root, f))], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, TEST_POSTGRES_URL: pgUrl, CURATOR_TEST_DB: backend, NODE_ENV: "test" },
    });
    current.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const failed = [];
for (const backend of passes) {
  const started = Date.now();
  const code = await runPass(backend);
  console.error(`run-tests: ${backend} pass ${code === 0 ? "passed" : "FAILED"} in ${Math.round((Date.now() - started) / 1000)} s`);
  if (code !== 0) failed.push(backend);
}
stop();
if (failed.length > 0) console.error(`run-tests: failed on ${failed.join(" and ")}`);
process.exit(failed.length > 0 ? 1 : 0);
