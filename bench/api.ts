// `npm run bench -- api [--tracks N] [--duration S] [--connections C]`: the API's two hot reads through the whole
// stack (HTTP, Apollo, type-graphql, limits, DataLoader, Prisma, FAISS) against a bare Node http handler doing
// the same Prisma reads and FAISS search and writing the same JSON (checked equal before measuring):
//  - page: a 50-track page with nested artist, album and outlier flags (the catalogue);
//  - similar: `similar(k: 10)` of one track with each neighbour's title and artist (the track page).
// One temporary SQLite database and index folder, both servers in this process, the same load: autocannon with C
// connections in a child process (so the client shares neither the servers' event loop nor their CPU time), S
// seconds per server split into R alternating rounds after a warm-up (support/rounds.ts), so both see the same
// share of a busy machine's load. Figures are the median of the rounds' p50 and p99; the headline ratio is the
// worse scenario's median per-round p50 ratio. This process's CPU time per request is reported too (with its own
// per-round ratio): on a shared machine it varies less than latency.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { deepStrictEqual } from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { execFile as execFileWithEnv } from "node:child_process";
import { promisify } from "node:util";
import { openDb, type Db } from "@curator/db/client.js";
import { deployMigrations } from "@curator/db/migrate.js";
import { writeFactorSet } from "@curator/worker/storage/factor-sets.js";
import { Rng } from "@curator/worker/util/random.js";
import { execFile } from "@curator/worker/util/run-tool.js";
import { createApp } from "@curator/server/http/app.js";
import { IndexRegistry } from "@curator/server/index/registry.js";
import { similarTracks } from "@curator/server/services/similar.js";
import { withTracks } from "@curator/server/resolvers/track-rows.js";

import { alternate, jsonLine, type Comparison, type Side } from "./support/rounds.js";
import { median } from "./support/stats.js";

const { values: args } = parseArgs({
  options: {
    tracks: { type: "string", default: "2000" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    rounds: { type: "string", default: "5" },
    "write-users": { type: "string", default: "300" },
  },
});
const nTracks = Number(args.tracks);
const duration = Number(args.duration);
const connections = Number(args.connections);
const rounds = Number(args.rounds);
for (const [name, v] of [["tracks", nTracks], ["duration", duration], ["connections", connections], ["rounds", rounds]] as const) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`bench api: --${name} must be a positive integer`);
}
const PAGE = 50;
const K = 10;
/** The paper's latent dimension. */
const DIMS = 40;
/** The order of the resolver's outlierFlags loader: most suspicious first. */
const FLAG_ORDER = [{ score: "desc" as const }, { id: "asc" as const }];

interface GraphQLBody {
  query: string;
  variables: { id?: number; k?: number };
}

interface Scenario {
  name: string;
  body: GraphQLBody;
  /** The bare handler's answer: the same reads, shaped like the GraphQL response's `data`. */
  bare(body: GraphQLBody): Promise<unknown>;
}

async function seed(db: Db): Promise<number[]> {
  const artists = 100;
  await db.artist.createMany({ data: Array.from({ length: artists }, (_, a) => ({ name: `Composer ${a}` })) });
  await db.album.createMany({ data: Array.from({ length: artists }, (_, a) => ({ title: `Soundtrack ${a}`, source: `bench:${a}` })) });
  const [artistRows, albumRows] = await Promise.all([db.artist.findMany({ orderBy: { id: "asc" } }), db.album.findMany({ orderBy: { id: "asc" } })]);
  await db.track.createMany({
    data: Array.from({ length: nTracks }, (_, i) => ({
      externalId: `bench/${i}`,
      title: `Theme ${i}`,
      artistId: artistRows[i % artists]!.id,
      albumId: albumRows[i % artists]!.id,
      position: Math.floor(i / artists) + 1,
      durationSec: 30 + (i % 300),
      audioPath: `/bench/${i}.ogg`,
      contentHash: `bench-${i}`,
      channels: 2,
      sampleRate: 44100,
      codec: "vorbis",
    })),
  });
  const trackIds = (await db.track.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((t) => t.id);
  // Two flags on every sixth track, so the flags' order is part of what the two servers must agree on.
  await db.outlierFlag.createMany({
    data: trackIds.flatMap((trackId, i) => (i % 3 ? [] : [{ trackId, kind: "INTRO" as const, score: (i % 100) / 100, reason: "bench" }, ...(i % 6 ? [] : [{ trackId, kind: "OUTRO" as const, score: (i % 7) / 7, reason: "bench" }])])),
  });
  const rng = new Rng(7);
  await writeFactorSet(db, { kind: "CF", dims: DIMS, params: { bench: "api" }, trackIds, raw: Float32Array.from({ length: nTracks * DIMS }, () => rng.gaussian()) });
  return trackIds;
}

function scenarios(db: Db, indexes: IndexRegistry, queryTrack: number): Scenario[] {
  return [
    {
      name: "page",
      body: { query: `{ tracks(first: ${PAGE}) { totalCount edges { node { id title durationSec artist { name } album { title } outlierFlags { kind score } } } } }`, variables: {} },
      async bare() {
        const [rows, totalCount] = await Promise.all([
          db.track.findMany({ orderBy: { id: "asc" }, take: PAGE, include: { artist: true, album: true, flags: { orderBy: FLAG_ORDER } } }),
          db.track.count(),
        ]);
        const edges = rows.map((t) => ({
          node: {
            id: t.id,
            title: t.title,
            durationSec: t.durationSec,
            artist: { name: t.artist.name },
            album: t.album ? { title: t.album.title } : null,
            outlierFlags: t.flags.map((f) => ({ kind: f.kind, score: f.score })),
          },
        }));
        return { tracks: { totalCount, edges } };
      },
    },
    {
      name: "similar",
      body: { query: "query ($id: Int!, $k: Int!) { track(id: $id) { similar(k: $k, space: CF) { score track { id title artist { name } } } } }", variables: { id: queryTrack, k: K } },
      async bare({ variables }) {
        const found = await withTracks(db, await similarTracks(db, indexes, variables.id!, { k: variables.k!, space: "CF" }));
        const artistIds = [...new Set(found.map((f) => f.track.artistId))];
        const artists = new Map((await db.artist.findMany({ where: { id: { in: artistIds } } })).map((a) => [a.id, a]));
        return { track: { similar: found.map(({ score, track }) => ({ score, track: { id: track.id, title: track.title, artist: { name: artists.get(track.artistId)!.name } } })) } };
      },
    },
  ];
}

/** The anchor: parses the request like any JSON endpoint, answers the scenario's reads, no GraphQL. */
function bareServer(scenario: Scenario): Server {
  return createServer((req, res) => {
    (async () => {
      let raw = "";
      for await (const chunk of req) raw += chunk;
      const data = await scenario.bare(JSON.parse(raw) as GraphQLBody);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ data }));
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function post(url: string, body: GraphQLBody): Promise<unknown> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return res.json();
}

interface Measured {
  p50: number;
  p99: number;
  rps: number;
  errors: number;
  non2xx: number;
  /** This process's CPU milliseconds per request served (both servers live here; only one is loaded at a time). */
  cpuMs: number;
}

const AUTOCANNON = createRequire(import.meta.url).resolve("autocannon");

interface AutocannonResult {
  latency: { p50: number; p99: number };
  requests: { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

async function load(url: string, body: GraphQLBody, seconds: number): Promise<Measured> {
  const args = ["--json", "-c", String(connections), "-d", String(seconds), "-m", "POST", "-H", "content-type=application/json", "-b", JSON.stringify(body), url];
  const before = process.cpuUsage();
  const { stdout } = await execFile(process.execPath, [AUTOCANNON, ...args]);
  const cpu = process.cpuUsage(before);
  const r = JSON.parse(stdout) as AutocannonResult;
  return {
    p50: r.latency.p50,
    p99: r.latency.p99,
    rps: r.requests.total / seconds,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    cpuMs: (cpu.user + cpu.system) / 1000 / Math.max(1, r.requests.total),
  };
}

const LISTEN_WRITER = fileURLToPath(new URL("./support/listen-writer.js", import.meta.url));

/**
 * The page scenario's latency while another process imports listens (one write transaction of `users` × every
 * track): what an editor browsing sees during an import. The load starts once the writer is under way and the
 * writer's own time is reported, so a load that outlasted the write says so.
 */
async function duringWrite(url: string, databaseUrl: string, body: GraphQLBody, users: number, seconds: number): Promise<{ load: Measured; writer: { listens: number; seconds: number } }> {
  const writer = promisify(execFileWithEnv)(process.execPath, [LISTEN_WRITER, String(users)], { env: { ...process.env, DATABASE_URL: databaseUrl }, maxBuffer: 1 << 20 });
  // Building the listens in the child takes a moment; the load should overlap the transaction, not the set-up.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const measured = await load(url, body, seconds);
  const { stdout } = await writer;
  return { load: measured, writer: JSON.parse(stdout.trim().split("\n").at(-1)!) as { listens: number; seconds: number } };
}

function combine(runs: Measured[]): Measured {
  const sum = (f: (m: Measured) => number) => runs.reduce((s, m) => s + f(m), 0);
  return {
    p50: median(runs.map((m) => m.p50)),
    p99: median(runs.map((m) => m.p99)),
    rps: sum((m) => m.rps) / runs.length,
    errors: sum((m) => m.errors),
    non2xx: sum((m) => m.non2xx),
    cpuMs: median(runs.map((m) => m.cpuMs)),
  };
}

const dir = mkdtempSync(join(tmpdir(), "bench-api-"));
try {
  const url = `file:${join(dir, "bench.db")}`;
  await deployMigrations(url);
  const db = openDb({ url });
  const trackIds = await seed(db);
  const indexes = new IndexRegistry(db, { dir: join(dir, "indexes"), log: () => undefined });
  await indexes.warm();
  const ours = await createApp({ db, production: true, indexes });
  const oursUrl = await listen(ours);

  const report: Record<string, { ours: Measured; anchor: Measured; ratio: number; ratioSpread: [number, number]; cpuRatio: number }> = {};
  const comparisons: Comparison[] = [];
  for (const scenario of scenarios(db, indexes, trackIds[Math.floor(nTracks / 2)]!)) {
    const bare = bareServer(scenario);
    const bareUrl = await listen(bare);
    const [fromOurs, fromBare] = await Promise.all([post(oursUrl, scenario.body), post(bareUrl, scenario.body)]);
    deepStrictEqual(fromOurs, fromBare, `bench api: ${scenario.name}: the API and the bare handler answer differently`);
    for (const target of [oursUrl, bareUrl]) await load(target, scenario.body, 2);
    const runs = { ours: [] as Measured[], anchor: [] as Measured[] };
    const side = (name: "ours" | "anchor", target: string): Side => ({
      label: name === "ours" ? "ours" : "bare",
      async run() {
        const m = await load(target, scenario.body, duration / rounds);
        runs[name].push(m);
        return { value: m.p50, wall: duration / rounds, cpu: m.cpuMs * m.rps * (duration / rounds) / 1000, note: `p99 ${m.p99} ms, ${m.rps.toFixed(0)} req/s, ${m.cpuMs.toFixed(2)} CPU-ms/req` };
      },
    });
    const compared = await alternate({ bench: `api ${scenario.name}`, unit: "p50 ms", anchorName: "bare handler", rounds, cpuComparable: false, ours: side("ours", oursUrl), anchor: side("anchor", bareUrl) });
    await new Promise((resolve) => bare.close(resolve));
    const o = combine(runs.ours);
    const a = combine(runs.anchor);
    const cpuRatios = runs.ours.map((m, i) => m.cpuMs / runs.anchor[i]!.cpuMs);
    for (const [name, m] of [["ours", o], ["anchor", a]] as const) {
      console.log(`${scenario.name.padEnd(8)} ${name.padEnd(6)} p50 ${m.p50} ms  p99 ${m.p99} ms  ${m.rps.toFixed(0)} req/s  cpu ${m.cpuMs.toFixed(2)} ms/req  errors ${m.errors}  non-2xx ${m.non2xx}`);
    }
    console.log(`${scenario.name.padEnd(8)} CPU per request ratio ${median(cpuRatios).toFixed(3)} (spread ${Math.min(...cpuRatios).toFixed(3)}–${Math.max(...cpuRatios).toFixed(3)})\n`);
    comparisons.push(compared);
    report[scenario.name] = { ours: o, anchor: a, ratio: compared.ratio, ratioSpread: [compared.ratioMin, compared.ratioMax], cpuRatio: median(cpuRatios) };
  }
  const pageBody = scenarios(db, indexes, trackIds[0]!).find((s) => s.name === "page")!.body;
  const writing = await duringWrite(oursUrl, url, pageBody, Number(args["write-users"]), Math.max(2, Math.round(duration / rounds)));
  const w = writing.load;
  console.log(`page     during a ${writing.writer.listens}-listen import (${writing.writer.seconds.toFixed(1)} s in another process): p50 ${w.p50} ms  p99 ${w.p99} ms  errors ${w.errors}  non-2xx ${w.non2xx}`);
  await new Promise((resolve) => ours.close(resolve));
  await db.$disconnect();

  const worst = Object.entries(report).reduce((w, e) => (e[1].ratio > w[1].ratio ? e : w));
  const all = Object.values(report).flatMap((r) => [r.ours, r.anchor]);
  const worstComparison = comparisons[Object.keys(report).indexOf(worst[0])]!;
  console.log(
    jsonLine({ ...worstComparison, options: { ...worstComparison.options, bench: "api", anchorName: "bare node http + same prisma reads and faiss search" } }, {
      // Rounds last a fixed time, not a fixed number of requests: CPU per request, not per round, compares.
      cpu_ratio: worst[1].cpuRatio,
      worst: worst[0],
      tracks: nTracks,
      page: PAGE,
      k: K,
      connections,
      duration_s: duration,
      scenarios: Object.fromEntries(
        Object.entries(report).map(([name, r]) => [name, { ratio: r.ratio, ratio_spread: r.ratioSpread, cpu_ratio: r.cpuRatio, ours_p50: r.ours.p50, anchor_p50: r.anchor.p50, ours_p99: r.ours.p99, anchor_p99: r.anchor.p99, ours_rps: r.ours.rps, anchor_rps: r.anchor.rps, ours_cpu_ms: r.ours.cpuMs, anchor_cpu_ms: r.anchor.cpuMs }]),
      ),
      errors: all.reduce((s, m) => s + m.errors + m.non2xx, 0),
      during_write: { page_p50: w.p50, page_p99: w.p99, errors: w.errors + w.non2xx, listens: writing.writer.listens, write_s: writing.writer.seconds },
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
