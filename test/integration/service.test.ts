// Running Curator Workbench as a service: `npm start` on existing data, readiness after the indexes load, metrics,
// the offline landing page and production mode, settings validation at start-up, and the CLI's version and exit
// codes. Real processes on real databases (the pass's backend), real FAISS indexes.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openDb } from "@curator/db/client.js";
import { createApp } from "@curator/server/http/app.js";
import { IndexRegistry } from "@curator/server/index/registry.js";
import { writeFactorSet } from "@curator/worker/storage/factor-sets.js";
import { createLogger } from "@curator/worker/log.js";
import { freshDb, type TestDb } from "../support/db.js";
import { gaussianRows, tempIndexDir } from "../support/indexed-api.js";
import { seedCatalog } from "../support/seed.js";
import { freePort, repoRoot } from "../e2e/harness.js";

const CURATOR = join(repoRoot, "gpu-worker/bin/curator.js");

/** The number of jobs in the database at `url`, through its own client. */
async function freshCopy(url: string): Promise<number> {
  const db = openDb({ url });
  try {
    return await db.job.count();
  } finally {
    await db.$disconnect();
  }
}
const quiet = () => createLogger("api-test");

/** A catalogue of 10 tracks with an active CF set: what the demo's stages leave behind, in small. */
async function seededDb(): Promise<{ handle: TestDb; setId: number }> {
  const handle = await freshDb();
  const trackIds = (await seedCatalog(handle.db, 2, 5)).map((t) => t.id);
  const setId = await writeFactorSet(handle.db, { kind: "CF", dims: 8, params: {}, trackIds, raw: gaussianRows(trackIds.length, 8, 7) });
  return { handle, setId };
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not answering yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} within ${timeoutMs / 1000} s`);
}

test("npm start serves existing data without running a stage, and SIGTERM stops the API and the web server", async () => {
  const { handle, setId } = await seededDb();
  const dataDir = mkdtempSync(join(tmpdir(), "curator-start-"));
  const [apiPort, webPort] = [await freePort(), await freePort()];
  const jobsBefore = await handle.db.job.count();
  const child = spawn(process.execPath, ["scripts/serve.js", "start"], {
    cwd: repoRoot,
    // NODE_ENV unset as an operator would leave it (the test runner sets it to "test").
    env: { ...process.env, NODE_ENV: "", DATABASE_URL: handle.url, DATA_DIR: dataDir, API_PORT: String(apiPort), WEB_PORT: String(webPort), LOG_FORMAT: "json", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (b: Buffer) => (output += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (output += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    const api = `http://127.0.0.1:${apiPort}`;
    const ready = await waitFor(async () => {
      const r = await getJson(`${api}/readyz`);
      return r.status === 200 ? r.body : undefined;
    }, `the API was not ready: ${output}`);
    assert.deepEqual(ready.indexes, [{ kind: "CF", activeSetId: setId, loadedSetId: setId, vectors: 10 }]);
    const res = await fetch(`${api}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "query Count { tracks(first: 1) { totalCount } }" }),
    });
    assert.deepEqual(await res.json(), { data: { tracks: { totalCount: 10 } } });
    // The web server renders a page from the API's data.
    const page = await waitFor(async () => {
      const r = await fetch(`http://127.0.0.1:${webPort}/`);
      return r.status === 200 ? r.text() : undefined;
    }, `the web server did not answer: ${output}`);
    assert.match(page, /<html/);
    assert.equal(await handle.db.job.count(), jobsBefore, "no stage ran");
    // The access log names the operation, its status and duration; npm start runs in production mode.
    const lines = output.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
    const access = lines.find((l) => l.msg === "request" && l.operation === "Count");
    assert.ok(access, output);
    assert.equal(access.status, 200);
    assert.equal(typeof access.durationMs, "number");
    assert.equal(typeof access.time, "string");
    assert.ok(lines.some((l) => l.msg === "GraphQL API listening" && l.mode === "production"), output);

    process.kill(child.pid!, "SIGTERM");
    assert.equal(await exited, 0, output);
    await assert.rejects(fetch(`${api}/healthz`), "the API stopped");
    await assert.rejects(fetch(`http://127.0.0.1:${webPort}/`), "the web server stopped");
  } finally {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already stopped
    }
    rmSync(dataDir, { recursive: true, force: true });
    await handle.close();
  }
});

test("/readyz is 503 until every active set's index is loaded, then 200; /healthz answers throughout", async () => {
  const { handle, setId } = await seededDb();
  const indexDir = tempIndexDir();
  const indexes = new IndexRegistry(handle.db, { dir: indexDir.dir, log: () => {} });
  const server = await createApp({ db: handle.db, production: true, indexes, log: quiet() });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    assert.equal((await getJson(`${base}/healthz`)).status, 200);
    const before = await getJson(`${base}/readyz`);
    assert.equal(before.status, 503);
    assert.deepEqual(before.body, { ready: false, database: "ok", indexes: [{ kind: "CF", activeSetId: setId, loadedSetId: null, vectors: null }] });
    await indexes.warm();
    const after = await getJson(`${base}/readyz`);
    assert.equal(after.status, 200);
    assert.deepEqual(after.body.indexes, [{ kind: "CF", activeSetId: setId, loadedSetId: setId, vectors: 10 }]);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    indexDir.remove();
    await handle.close();
  }
});

/** The value of one sample line of the Prometheus text, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test("/metrics counts requests per operation and errors per code, and reports the loaded indexes and jobs", async () => {
  const { handle } = await seededDb();
  const indexDir = tempIndexDir();
  const indexes = new IndexRegistry(handle.db, { dir: indexDir.dir, log: () => {} });
  await indexes.warm();
  const queued = await handle.db.job.create({ data: { stage: "features", params: "{}", status: "QUEUED" } });
  const server = await createApp({ db: handle.db, production: true, indexes, log: quiet() });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (query: string) => fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  const count = 'curator_graphql_operation_duration_seconds_count{operation="Pick",type="query"}';
  try {
    const first = await (await fetch(`${base}/metrics`)).text();
    assert.equal(sample(first, count), undefined);
    assert.equal((await post("query Pick { tracks(first: 2) { totalCount } }")).status, 200);
    assert.equal((await post("query Pick { tracks(first: 2) { totalCount } }")).status, 200);
    assert.equal((await post("query Broken { tracks(first: 2) { nope } }")).status, 400);
    const res = await fetch(`${base}/metrics`);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
    const text = await res.text();
    assert.equal(sample(text, count), 2);
    assert.equal(sample(text, 'curator_http_request_duration_seconds_count{route="graphql",status="200"}'), 2);
    assert.equal(sample(text, 'curator_graphql_errors_total{operation="(unparsed)",code="GRAPHQL_VALIDATION_FAILED"}'), 1);
    assert.equal(sample(text, 'curator_index_vectors{kind="CF"}'), 10);
    assert.ok((sample(text, 'curator_index_load_seconds{kind="CF"}') ?? 0) > 0);
    assert.ok((sample(text, 'curator_index_file_bytes{kind="CF"}') ?? 0) > 0);
    assert.equal(sample(text, 'curator_job_queue_depth{stage="features"}'), 1);
    assert.equal(sample(text, `curator_jobs{stage="features",status="QUEUED"}`), 1);
    assert.ok(sample(text, "process_resident_memory_bytes"), "Node's process metrics are included");
    await handle.db.job.update({ where: { id: queued.id }, data: { status: "RUNNING", done: 3, total: 4 } });
    const later = await (await fetch(`${base}/metrics`)).text();
    assert.equal(sample(later, `curator_job_progress_ratio{job="${queued.id}",stage="features"}`), 0.75);
    assert.equal(sample(later, 'curator_job_queue_depth{stage="features"}'), undefined);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    indexDir.remove();
    await handle.close();
  }
});

test("production: no introspection, no field suggestions, no stack traces; the landing page loads nothing from outside", async () => {
  const handle = await freshDb();
  const server = await createApp({ db: handle.db, production: true, log: quiet() });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const post = async (query: string) =>
    (await (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) })).json()) as {
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    };
  try {
    const introspection = await post("{ __schema { types { name } } }");
    assert.match(introspection.errors?.[0]?.message ?? "", /introspection is not allowed/i);
    const typo = await post("{ trakcs(first: 1) { totalCount } }");
    assert.ok(typo.errors?.length);
    assert.doesNotMatch(typo.errors![0]!.message, /Did you mean/);
    assert.equal(typo.errors![0]!.extensions?.stacktrace, undefined);

    const page = await fetch(url, { headers: { accept: "text/html" } });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Curator Workbench GraphQL API/);
    assert.doesNotMatch(html, /(src|href)=["']?(https?:)?\/\//, "no external script, style or link");
    assert.match(page.headers.get("content-security-policy") ?? "", /default-src 'none'/);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await handle.close();
  }
});

test("development with CURATOR_DEBUG_ERRORS: introspection and suggestions on, stack traces only with the flag", async () => {
  const handle = await freshDb();
  const start = async (debugErrors: boolean) => {
    const server = await createApp({ db: handle.db, production: false, debugErrors, log: quiet() });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
  };
  const post = async (url: string, query: string) =>
    (await (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) })).json()) as {
      data?: unknown;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    };
  const plain = await start(false);
  const debug = await start(true);
  try {
    assert.ok((await post(plain.url, "{ __schema { queryType { name } } }")).data);
    const typo = await post(plain.url, "{ trakcs(first: 1) { totalCount } }");
    assert.match(typo.errors![0]!.message, /Did you mean "tracks"/);
    assert.equal(typo.errors![0]!.extensions?.stacktrace, undefined);
    const withTrace = await post(debug.url, "{ trakcs(first: 1) { totalCount } }");
    assert.ok(Array.isArray(withTrace.errors![0]!.extensions?.stacktrace));
  } finally {
    await new Promise((resolve) => plain.server.close(resolve));
    await new Promise((resolve) => debug.server.close(resolve));
    await handle.close();
  }
});

test("a bad setting stops the API, npm start and the CLI before they start, naming the variable", () => {
  const run = (args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000 });
  const api = run(["server/dist/main.js"], { API_PORT: "eighty" });
  assert.equal(api.status, 78, api.stderr);
  assert.match(api.stderr, /API_PORT="eighty" is not a port/);
  const start = run(["scripts/serve.js", "start"], { DATABASE_URL: "mysql://db/curator" });
  assert.equal(start.status, 78, start.stderr);
  assert.match(start.stderr, /DATABASE_URL="mysql:\/\/db\/curator" is not supported/);
  const cli = run([CURATOR, "jobs"], { LOG_LEVEL: "loud", DATABASE_POOL_SIZE: "0" });
  assert.equal(cli.status, 78, cli.stderr);
  assert.match(cli.stderr, /DATABASE_POOL_SIZE="0" is not a positive whole number; LOG_LEVEL="loud" is not a log level/);
});

test("curator --version, --json, and exit codes: 0 done, 2 PARTIAL, 1 FAILED", async () => {
  const handle = await freshDb();
  const dir = mkdtempSync(join(tmpdir(), "curator-exit-"));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [CURATOR, ...args], { env: { ...process.env, DATABASE_URL: handle.url, DATA_DIR: dir, LOG_FORMAT: "json", LOG_LEVEL: "info" }, encoding: "utf8", timeout: 120_000 });
  try {
    const { version } = JSON.parse(readFileSync(join(repoRoot, "gpu-worker/package.json"), "utf8")) as { version: string };
    const v = run("--version");
    assert.equal(v.status, 0);
    assert.equal(v.stdout.trim(), version);

    writeFileSync(join(dir, "catalog.csv"), "track_id,artist,album,title,path\nt1,A,B,Gone,missing.ogg\n");
    const partial = run("ingest", "--catalog", join(dir, "catalog.csv"));
    assert.equal(partial.status, 2, partial.stderr);
    assert.match(partial.stderr, /ended PARTIAL/);
    const failed = run("factorize");
    assert.equal(failed.status, 1, failed.stderr);
    assert.match(failed.stderr, /no training listens stored/);

    const jobs = run("jobs", "--json");
    assert.equal(jobs.status, 0, jobs.stderr);
    const listed = JSON.parse(jobs.stdout) as { stage: string; status: string; badItems: { item: string; reason: string }[]; params: unknown }[];
    assert.deepEqual(listed.map((j) => [j.stage, j.status]), [["factorize", "FAILED"], ["ingest", "PARTIAL"]]);
    assert.match(listed[1]!.badItems[0]!.reason, /no such file/);
    // Job events reach the log with a time and a level.
    const events = partial.stderr.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(events.map((e) => [e.msg, e.level]), [["job started", 30], ["bad item skipped", 40], ["job finished", 40]]);

    // An online copy of a SQLite database (VACUUM INTO); PostgreSQL operators are sent to pg_dump.
    const backup = run("backup", join(dir, "copy.db"));
    if (handle.url.startsWith("file:")) {
      assert.equal(backup.status, 0, backup.stderr);
      const copy = await freshCopy(`file:${join(dir, "copy.db")}`);
      assert.equal(copy, 2, "the copy holds both jobs");
    } else {
      assert.equal(backup.status, 1);
      assert.match(backup.stderr, /pg_dump/);
    }

    assert.equal(run("keys", "create", "--name", "ops", "--role", "ANALYST").status, 0);
    const keys = run("keys", "list", "--json");
    assert.equal(keys.status, 0, keys.stderr);
    const [key] = JSON.parse(keys.stdout) as { name: string; role: string; revokedAt: string | null }[];
    assert.deepEqual([key?.name, key?.role, key?.revokedAt], ["ops", "ANALYST", null]);
    assert.doesNotMatch(keys.stdout, /hash/i, "never the key's hash");

    const help = run("--help");
    for (const line of help.stdout.split("\n")) assert.ok(line.length <= 100, `help line too long: ${line}`);
    assert.ok(help.stdout.split("\n").length < 40, help.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await handle.close();
  }
});
