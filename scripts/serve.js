// `npm start` and `npm run dev`: the GraphQL API and the web workbench on the data already built (no pipeline
// stage runs), in one command; Ctrl-C (or SIGTERM from a service manager) stops both, waiting for each to finish
// its open requests. `npm run demo` builds the data first, then serves through the same function.
//   node scripts/serve.js start   the built API (server/dist) and `next start` (web/.next)
//   node scripts/serve.js dev     `tsc -b --watch`, the API restarted on every rebuild, `next dev`
// Settings come from the environment and an optional .env file (see .env.example, docs/configuration.md); every one
// is validated before anything starts.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { get } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
/** How long a server may take to finish its open requests after SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;

/** Loads .env (variables already set win), then validates every setting; exits naming any bad variable. */
async function loadValidatedSettings() {
  const settingsModule = join(root, "prisma/dist/settings.js");
  if (!existsSync(settingsModule)) fail("the TypeScript build is missing: run `npm run setup` first");
  const envFile = join(root, ".env");
  // process.loadEnvFile arrived in Node 20.12; older versions read the environment only.
  if (existsSync(envFile) && process.loadEnvFile) process.loadEnvFile(envFile);
  const { loadSettings, SettingsError } = await import(pathToFileURL(settingsModule).href);
  try {
    return loadSettings();
  } catch (err) {
    if (err instanceof SettingsError) fail(`bad configuration: ${err.message}`, 78);
    throw err;
  }
}

function fail(message, code = 1) {
  console.error(`serve: ${message}`);
  process.exit(code);
}

/**
 * Starts the API and the web server and keeps them running until a signal or until one of them exits (then the
 * other is stopped too and the exit code says which failed). Resolves once both answer, with their URLs.
 */
export async function serve(mode = "start") {
  const settings = await loadValidatedSettings();
  const apiHost = settings.API_HOST === "0.0.0.0" || settings.API_HOST === "::" ? "127.0.0.1" : settings.API_HOST;
  const apiUrl = settings.API_URL ?? `http://${apiHost}:${settings.API_PORT}`;
  const webUrl = `http://${settings.WEB_HOST === "0.0.0.0" ? "127.0.0.1" : settings.WEB_HOST}:${settings.WEB_PORT}`;
  const nextBin = createRequire(join(root, "web/package.json")).resolve("next/dist/bin/next");
  const env = { ...process.env, API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: "1" };

  const children = [];
  if (mode === "dev") {
    Object.assign(env, { NODE_ENV: "development", CURATOR_DEBUG_ERRORS: process.env.CURATOR_DEBUG_ERRORS ?? "1" });
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    children.push(run("tsc", process.execPath, [tsc, "-b", "--watch", "--preserveWatchOutput"], root, env));
    const watched = ["server/dist", "gpu-worker/dist", "prisma/dist"].flatMap((d) => ["--watch-path", d]);
    children.push(run("api", process.execPath, [...watched, "server/dist/main.js"], root, env));
    children.push(run("web", process.execPath, [nextBin, "dev", "-p", String(settings.WEB_PORT), "-H", settings.WEB_HOST], join(root, "web"), env));
  } else {
    // An operator's start: no introspection or field suggestions, unexpected errors masked (NODE_ENV overrides).
    env.NODE_ENV = process.env.NODE_ENV || "production";
    if (!existsSync(join(root, "server/dist/main.js"))) fail("server/dist/main.js is missing: run `npm run setup` first");
    if (!existsSync(join(root, "web/.next/BUILD_ID"))) fail("the web app is not built (web/.next): run `npm run setup` first");
    warnIfNoData(settings);
    children.push(run("api", process.execPath, ["server/dist/main.js"], root, env));
    children.push(run("web", process.execPath, [nextBin, "start", "-p", String(settings.WEB_PORT), "-H", settings.WEB_HOST], join(root, "web"), env));
  }

  let stopping = false;
  const stopAll = async (code) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(children.map((c) => c.stop()));
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  for (const child of children) {
    child.exited.then((code) => {
      if (stopping) return;
      console.error(`serve: ${child.name} exited (code ${code}); stopping the others`);
      void stopAll(code === 0 ? 1 : code);
    });
  }

  try {
    await waitFor(`${apiUrl}/healthz`, mode === "dev" ? 180_000 : 60_000);
    await waitFor(`${webUrl}/favicon.ico`, mode === "dev" ? 180_000 : 60_000);
  } catch (err) {
    console.error(err.message);
    await stopAll(1);
  }
  console.error(`
Curator Workbench is running${mode === "dev" ? " (development: rebuilds on change)" : ""}:
  web workbench  ${webUrl}/
  GraphQL API    ${apiUrl}/graphql
  health         ${apiUrl}/healthz  ${apiUrl}/readyz   metrics ${apiUrl}/metrics
Ctrl-C stops both.`);
  return { apiUrl, webUrl };
}

/** The SQLite default with no file yet means nothing was built: say how to build it (the API still starts). */
function warnIfNoData(settings) {
  const url = settings.DATABASE_URL ?? `file:${join(settings.DATA_DIR, "curator.db")}`;
  if (!url.startsWith("file:")) return;
  const path = url.slice("file:".length);
  if (!existsSync(path.startsWith("/") ? path : join(root, path))) {
    console.error(`serve: no database at ${path}: \`npm run demo\` builds the demo's data (or run the pipeline: npx curator --help)`);
  }
}

/** A child process in its own process group, so stopping it also stops what it forked (next's workers). */
function run(name, command, args, cwd, env) {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "inherit", "inherit"], detached: true });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  let done = false;
  exited.then(() => (done = true));
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  return {
    name,
    exited,
    async stop() {
      if (done) return;
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitFor(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await statusOf(url)) < 500) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`serve: ${url} did not answer within ${timeoutMs / 1000} s`);
}

/** The HTTP status of a GET, or 599 when nothing answers; node:http, since fetch refuses some ports (e.g. 4190, 6000). */
function statusOf(url) {
  return new Promise((resolve) => {
    const req = get(url, { timeout: 5_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 599);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(599));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const mode = process.argv[2] ?? "start";
  if (mode !== "start" && mode !== "dev") fail(`unknown mode "${mode}": use start or dev`);
  serve(mode).catch((err) => fail(err.message));
}
