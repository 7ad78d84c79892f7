// `npm run bench -- api [--tracks N] [--duration S] [--connections C]`: a 50-track page with nested artist,
// album and outlier flags through the whole API (HTTP, Apollo, type-graphql, limits, DataLoader, Prisma) against a
// bare Node http handler making the same Prisma reads and writing the same JSON, on one temporary SQLite
// database, same process, same load (autocannon, C connections for S seconds each, after a short warm-up).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { openDb, type Db } from "@curator/db/client.js";
import { deployMigrations } from "@curator/db/migrate.js";
import { createApp } from "@curator/server/http/app.js";

const { values: args } = parseArgs({
  options: {
    tracks: { type: "string", default: "2000" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
  },
});
const nTracks = Number(args.tracks);
const duration = Number(args.duration);
const connections = Number(args.connections);
for (const [name, v] of [["tracks", nTracks], ["duration", duration], ["connections", connections]] as const) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`bench api: --${name} must be a positive integer`);
}
const PAGE = 50;
const QUERY = `{ tracks(first: ${PAGE}) { totalCount edges { node { id title durationSec artist { name } album { title } outlierFlags { kind score } } } } }`;

async function seed(db: Db): Promise<void> {
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
  const trackIds = (await db.track.findMany({ select: { id: true } })).map((t) => t.id);
  await db.outlierFlag.createMany({ data: trackIds.filter((_, i) => i % 3 === 0).map((trackId, i) => ({ trackId, kind: "INTRO" as const, score: (i % 100) / 100, reason: "bench" })) });
}

/** The anchor: the same reads as the resolvers (page + count + the page's artists, albums, flags), no GraphQL. */
function bareServer(db: Db): Server {
  return createServer((req, res) => {
    (async () => {
      for await (const _ of req);
      const [rows, totalCount] = await Promise.all([db.track.findMany({ orderBy: { id: "asc" }, take: PAGE, include: { artist: true, album: true, flags: true } }), db.track.count()]);
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
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ data: { tracks: { totalCount, edges } } }));
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

interface Measured {
  p50: number;
  p99: number;
  rps: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, seconds: number): Promise<Measured> {
  const r = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: QUERY }),
    connections,
    duration: seconds,
  });
  return { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

const dir = mkdtempSync(join(tmpdir(), "bench-api-"));
const url = `file:${join(dir, "bench.db")}`;
try {
  await deployMigrations(url);
  const db = openDb({ url });
  await seed(db);
  const ours = await createApp({ db, production: true });
  const bare = bareServer(db);
  const [oursUrl, bareUrl] = await Promise.all([listen(ours), listen(bare)]);

  const check = (await (await fetch(oursUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: QUERY }) })).json()) as { data?: { tracks: { edges: unknown[] } }; errors?: unknown };
  if (check.data?.tracks.edges.length !== PAGE) throw new Error(`bench api: the page query failed: ${JSON.stringify(check.errors)}`);

  const results: Record<string, Measured> = {};
  for (const [name, target] of [["ours", oursUrl], ["anchor", bareUrl]] as const) {
    await load(target, 2);
    results[name] = await load(target, duration);
    const m = results[name]!;
    console.log(`${name.padEnd(6)} p50 ${m.p50} ms  p99 ${m.p99} ms  ${m.rps.toFixed(0)} req/s  errors ${m.errors}  non-2xx ${m.non2xx}`);
  }
  await Promise.all([ours, bare].map((s) => new Promise((resolve) => s.close(resolve))));
  await db.$disconnect();
  const { ours: o, anchor: a } = results as { ours: Measured; anchor: Measured };
  console.log(
    JSON.stringify({
      bench: "api",
      unit: "p50 ms",
      ours: o.p50,
      anchor: a.p50,
      anchor_name: "bare node http + prisma",
      ratio: o.p50 / a.p50,
      tracks: nTracks,
      page: PAGE,
      connections,
      duration_s: duration,
      ours_p99: o.p99,
      anchor_p99: a.p99,
      ours_rps: o.rps,
      anchor_rps: a.rps,
      errors: o.errors + o.non2xx + a.errors + a.non2xx,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
