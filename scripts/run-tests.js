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

const BACKENDS = ["sqlite", "postgres"];
const passes = process.env.CURATOR_TEST_DB ? [process.env.CURATOR_TEST_DB] : BACKENDS;
if (!BACKENDS.includes(passes[0])) {
  console.error(`run-tests: CURATOR_TEST_DB must be ${BACKENDS.join(" or ")}, not "${passes[0]}"`);
  process.exit(1);
}

// The cluster only when a PostgreSQL pass runs; the SQLite pass's tests open files of their own.
let cluster;
if (passes.includes("postgres")) {
  const dir = mkdtempSync(join(tmpdir(), "curator-test-pg-"));
  const port = String(20000 + (process.pid % 20000));
  const url = execFileSync("bash", [join(root, "scripts/pg-throwaway.sh"), "start", dir, port], { encoding: "utf8" }).trim();
  cluster = { dir, url };
  // Migrated once here; tests copy it as a template database (test/support/db.ts).
  execFileSync(process.execPath, [join(root, "prisma/dist/migrate-cli.js"), "deploy"], { env: { ...process.env, DATABASE_URL: url }, stdio: "inherit" });
}
console.error(`run-tests: ${files.length} files${cluster ? `; throwaway PostgreSQL at ${cluster.url}` : ""}`);

let current;
let interrupted = false;
process.on("SIGINT", () => {
  interrupted = true;
  current?.kill("SIGINT");
});

function runPass(backend) {
  console.error(`run-tests: ${backend} pass`);
  return new Promise((resolve) => {
    current = spawn(process.execPath, ["--test", "--test-reporter=spec", ...files.map((f) => relative(root, f))], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, ...(cluster ? { TEST_POSTGRES_URL: cluster.url } : {}), CURATOR_TEST_DB: backend, NODE_ENV: "test", LOG_LEVEL: process.env.LOG_LEVEL || "warn" },
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
  if (interrupted) break;
}
if (cluster) {
  execFileSync("bash", [join(root, "scripts/pg-throwaway.sh"), "stop", cluster.dir]);
  rmSync(cluster.dir, { recursive: true, force: true });
}
if (failed.length > 0) console.error(`run-tests: failed on ${failed.join(" and ")}`);
process.exit(failed.length > 0 ? 1 : 0);
