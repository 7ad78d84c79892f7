// `npm run demo` (after scripts/setup.sh): runs every pipeline stage on the default corpus subset, then serves the
// GraphQL API and the web workbench until Ctrl-C. Stages are the `curator` CLI's, so each shows its own progress
// and records a job. On a second run the corpus fetch, ingest and features skip what is done; factorisation,
// training and the maps run again (each makes a new version and switches to it when complete).
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const apiPort = process.env.API_PORT ?? "4000";
const webPort = process.env.WEB_PORT ?? "3000";
const curator = ["gpu-worker/bin/curator.js"];

/** The pipeline, in data-flow order. */
const stages = [
  ["migrate"],
  ["corpus", "fetch", "--subset", "default"],
  ["ingest", "--subset", "default", "--simulate"],
  ["factorize"],
  ["features"],
  ["train"],
  ["predict"],
  ["activations"],
  ["outliers"],
  ["map"],
  ["map", "--source", "predicted-middle"],
];

for (const args of stages) {
  console.error(`\n== demo: curator ${args.join(" ")}`);
  const run = spawnSync(process.execPath, [...curator, ...args], { cwd: root, stdio: "inherit" });
  if (run.status !== 0) {
    console.error(`demo: curator ${args.join(" ")} failed (exit ${run.status}); see the message above`);
    process.exit(run.status ?? 1);
  }
}

// A newcomer edits without the CLI: an ADMIN key made for this run (the previous run's is revoked) goes into a
// sign-in link; its fragment never reaches a server, and the page removes it from the address bar once read.
const demoKey = spawnSync(process.execPath, [...curator, "keys", "create", "--name", "demo sign-in", "--role", "ADMIN", "--replace"], {
  cwd: root,
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
});
if (demoKey.status !== 0) {
  console.error("demo: could not create the sign-in key; see the message above");
  process.exit(demoKey.status ?? 1);
}
const signInUrl = `http://127.0.0.1:${webPort}/signin#key=${encodeURIComponent(demoKey.stdout.trim())}`;

const env = { ...process.env, API_PORT: apiPort, API_URL: `http://127.0.0.1:${apiPort}`, NEXT_TELEMETRY_DISABLED: "1" };
const api = spawn(process.execPath, ["server/dist/main.js"], { cwd: root, env, stdio: "inherit" });
const web = spawn("npx", ["next", "start", "-p", webPort, "-H", "127.0.0.1"], { cwd: `${root}/web`, env, stdio: ["ignore", "ignore", "inherit"] });

await waitFor(`http://127.0.0.1:${apiPort}/healthz`);
await waitFor(`http://127.0.0.1:${webPort}/`);
console.log(`
Curator Workbench is running:
  web workbench  http://127.0.0.1:${webPort}/
  sign in to edit ${signInUrl}
                 (opens the workbench signed in as an admin: edit playlists and flags, make keys for others under Keys)
  GraphQL API    http://127.0.0.1:${apiPort}/graphql
  try:           curl -s http://127.0.0.1:${apiPort}/graphql -H 'content-type: application/json' -d '{"query":"{ tracks(first: 5) { totalCount edges { node { title artist { name } } } } }"}'
Ctrl-C stops both.`);

const stop = () => {
  api.kill("SIGTERM");
  web.kill("SIGTERM");
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const child of [api, web]) {
  child.on("exit", (code) => {
    console.error(`demo: a server exited (code ${code}); stopping`);
    stop();
  });
}

async function waitFor(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`demo: ${url} did not answer within ${timeoutMs / 1000} s`);
}
