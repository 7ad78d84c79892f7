/**
 * The large-scale run of issue 12: a generated catalogue of 1M tracks, 1M users and about 100M listens (plays),
 * pushed through ingest, ALS, prediction with the reduced model, the similarity index build and search, each stage
 * a child process under GNU time, so every figure is that stage's own wall time and peak RSS.
 *
 *   node test/dist/scale/scale-run.js [--fraction 1] [--dir /tmp/scale] [--database-url URL] [--keep]
 *
 * --fraction scales tracks, users and plays together (0.01 for a quick check). The database is a throwaway SQLite
 * file under --dir unless --database-url names another (a throwaway PostgreSQL, see scripts/pg-throwaway.sh). The
 * table goes to stdout, the figures as JSON to --out (default data/scale-results.json); --dir is removed at the end
 * unless --keep.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const FULL = { tracks: 1_000_000, users: 1_000_000, plays: 100_000_000 };

const { values: args } = parseArgs({
  options: {
    fraction: { type: "string", default: "1" },
    dir: { type: "string", default: "/tmp/scale" },
    "database-url": { type: "string" },
    out: { type: "string", default: join(root, "data", "scale-results.json") },
    threads: { type: "string", default: "2" },
    iterations: { type: "string", default: "15" },
    seed: { type: "string", default: "12" },
    keep: { type: "boolean", default: false },
  },
});
const fraction = Number(args.fraction);
if (!(fraction > 0 && fraction <= 1)) throw new Error(`--fraction must be in (0, 1], got ${args.fraction}`);
const seed = Number(args.seed);
const spec = {
  tracks: Math.round(FULL.tracks * fraction),
  users: Math.round(FULL.users * fraction),
  plays: Math.round(FULL.plays * fraction),
  seed,
};
const dir = resolve(args.dir);
const catalog = join(dir, "catalog.csv");
const listens = join(dir, "listens.tsv");
const databaseUrl = args["database-url"] ?? `file:${join(dir, "scale.db")}`;
const env = { ...process.env, DATABASE_URL: databaseUrl, TF_CPP_MIN_LOG_LEVEL: "2" };

interface Measured {
  stage: string;
  command: string;
  wall_s: number;
  cpu_s: number;
  peak_rss_mib: number;
  load_before: number;
  load_after: number;
  /** Seconds into the stage at which each marker line was first printed. */
  marks: Record<string, number>;
  figures?: Record<string, number | string>;
}

/** Runs argv under GNU time; stderr lines are echoed and matched against `markers` (name → pattern). */
async function measure(stage: string, argv: string[], markers: Record<string, RegExp> = {}): Promise<Measured> {
  const timeFile = join(dir, `${stage}.time`);
  const loadBefore = loadavg()[0]!;
  const t0 = performance.now();
  const marks: Record<string, number> = {};
  let stdout = "";
  const child = spawn("/usr/bin/time", ["-f", "%e %M %U %S", "-o", timeFile, ...argv], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
  let partial = "";
  child.stderr.on("data", (b: Buffer) => {
    const lines = (partial + b.toString()).split("\n");
    partial = lines.pop()!;
    for (const line of lines) {
      process.stderr.write(`  [${stage}] ${line}\n`);
      for (const [name, pattern] of Object.entries(markers)) {
        if (marks[name] === undefined && pattern.test(line)) marks[name] = (performance.now() - t0) / 1000;
      }
    }
  });
  const code = await new Promise<number | null>((done) => child.on("close", done));
  if (code !== 0) throw new Error(`${stage}: ${argv.join(" ")} exited with ${code}`);
  const [wall, maxKib, user, sys] = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
  const last = stdout.trim().split("\n").pop() ?? "";
  return {
    stage,
    command: `DATABASE_URL=${databaseUrl} ${argv.join(" ")}`,
    wall_s: wall!,
    cpu_s: user! + sys!,
    peak_rss_mib: maxKib! / 1024,
    load_before: loadBefore,
    load_after: loadavg()[0]!,
    marks,
    ...(last.startsWith("{") ? { figures: JSON.parse(last) as Record<string, number | string> } : {}),
  };
}

const curator = (...rest: string[]) => ["node", "gpu-worker/bin/curator.js", ...rest];
const stages = (name: string, options: object) => ["node", "test/dist/scale/scale-stages.js", name, JSON.stringify(options)];

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const results: Measured[] = [];
const started = new Date().toISOString();
try {
  results.push(await measure("generate", stages("generate", { ...spec, catalog, listens })));
  const bytes = { catalog_mb: statSync(catalog).size / 1e6, listens_mb: statSync(listens).size / 1e6 };
  Object.assign(results.at(-1)!.figures!, bytes);
  results.push(await measure("migrate", curator("migrate")));
  results.push(
    await measure("ingest", curator("ingest", "--described", catalog, "--listens", listens, "--format", "taste-profile"), {
      catalogue_stored: /catalogue rows:/,
      listens_stored: /listens by .* users stored/,
    }),
  );
  results.push(
    await measure("factorize", curator("factorize", "--threads", args.threads!, "--iterations", args.iterations!, "--checkpoint-dir", join(dir, "checkpoints")), {
      first_iteration: new RegExp(`factorize: 1/${args.iterations} `),
      als_done: new RegExp(`factorize: ${args.iterations}/${args.iterations} `),
    }),
  );
  results.push(await measure("predict", stages("predict", { seed })));
  results.push(await measure("index+search", stages("search", { indexDir: join(dir, "indexes"), queries: 10_000, single: 1000, seed })));
} finally {
  const report = { spec, fraction, database: databaseUrl.split(":")[0], started, finished: new Date().toISOString(), results };
  mkdirSync(dirname(args.out!), { recursive: true });
  writeFileSync(args.out!, JSON.stringify(report, null, 2) + "\n");
  printTable(results);
  if (!args.keep) rmSync(dir, { recursive: true, force: true });
}

function printTable(rows: readonly Measured[]): void {
  console.log(`\nscale run: ${spec.tracks} tracks, ${spec.users} users, ${spec.plays} plays aimed at (seed ${seed}), ${databaseUrl}`);
  console.log("stage           wall s    CPU s   peak RSS MiB   load 1-min before→after   details");
  for (const r of rows) {
    const details = [
      ...Object.entries(r.marks).map(([k, v]) => `${k} at ${v.toFixed(1)} s`),
      ...Object.entries(r.figures ?? {}).map(([k, v]) => `${k} ${typeof v === "number" ? +v.toFixed(3) : v}`),
    ].join(", ");
    console.log(
      `${r.stage.padEnd(14)} ${r.wall_s.toFixed(1).padStart(7)} ${r.cpu_s.toFixed(1).padStart(8)} ${r.peak_rss_mib.toFixed(0).padStart(14)}   ` +
        `${r.load_before.toFixed(2).padStart(5)} → ${r.load_after.toFixed(2).padEnd(17)} ${details}`,
    );
  }
}
