// `npm run demo` (after scripts/setup.sh): runs every pipeline stage on the default corpus subset, then serves the
// GraphQL API and the web workbench until Ctrl-C, as `npm start` does (scripts/serve.js). Stages are the `curator`
// CLI's, so each shows its own progress and records a job. On a second run the corpus fetch, ingest and features skip what is done; factorisation,
// training and the maps run again (each makes a new version and switches to it when complete).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
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
  if (run.status !== 0) {
    console.error(`demo: curator ${args.join(" ")} failed (exit ${run.status}); see the message above`);
    process.exit(run.status ?? 1);
  }
}

// The demo is for exploring: GraphQL introspection stays on (`npm start` defaults to production).
process.env.NODE_ENV ??= "development";
await serve("start");
