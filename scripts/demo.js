// `npm run demo` (after scripts/setup.sh): runs every pipeline stage on the default corpus subset, then serves the
// GraphQL API and the web workbench until Ctrl-C, as `npm start` does (scripts/serve.js). Stages are the `curator`
// CLI's, so each shows its own progress and records a job. On a second run the corpus fetch, ingest and features skip what is done; factorisation,
// training and the maps run again (each makes a new version and switches to it when complete).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { EXIT_OK, EXIT_PARTIAL } from "@curator/worker/cli/exit-codes.js";
import { serve } from "./serve.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const curator = ["gpu-worker/bin/curator.js"];

// `npm run demo -- --library DIR --listens FILE --format F`: your own music and listening history (docs/own-music.md)
// take the place of the corpus and the simulated listens; the arguments go to `curator ingest` as they are.
const own = process.argv.slice(2);

/** The pipeline, in data-flow order. */
const stages = [
  ["migrate"],
  ...(own.length ? [["ingest", ...own]] : [["corpus", "fetch", "--subset", "default"], ["ingest", "--subset", "default", "--simulate"]]),
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
  // PARTIAL: the stage skipped items and listed them (a real export repeats a few listens); what it stored is whole.
  if (run.status === EXIT_PARTIAL) console.error(`demo: curator ${args[0]} skipped the items listed above; going on`);
  else if (run.status !== EXIT_OK) {
    console.error(`demo: curator ${args.join(" ")} failed (exit ${run.status}); see the message above`);
    process.exit(run.status ?? 1);
  }
}

// The Evaluations page starts filled: ALS on held-out listens and the cold-start table, whose --fast leaves out the
// MLP baseline (most of its time). Each stores its table as `npm run eval` does; `npm run eval -- coldstart` adds the MLP.
for (const args of [["als"], ["coldstart", "--fast"]]) {
  console.error(`\n== demo: npm run eval -- ${args.join(" ")}`);
  const run = spawnSync(process.execPath, ["scripts/run-named.js", "eval", ...args], { cwd: root, stdio: "inherit" });
  if (run.status !== 0) {
    console.error(`demo: eval ${args.join(" ")} failed (exit ${run.status}); see the message above`);
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

// The demo is for exploring: GraphQL introspection stays on (`npm start` defaults to production).
process.env.NODE_ENV ??= "development";
const { webUrl } = await serve("start");
console.error(`  sign in to edit ${webUrl}/signin#key=${encodeURIComponent(demoKey.stdout.trim())}
                  (opens the workbench signed in as an admin: edit playlists and flags, make keys for others under Keys)`);
