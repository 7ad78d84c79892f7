// `npm run bench -- web [--points N] [--runs R]`: time to first render in headless Chromium (software WebGL) of the
// workbench's latent map with N points (default 100k) and of the catalogue page, through the real stack (API
// process + `next start`, from web/.next). Anchor: the same map page over a 1k-point layout, in the same run, so
// the ratio is what the extra points cost. The map page marks "map-drawn" once regl-scatterplot resolves its
// first draw; the catalogue's first contentful paint already shows its server-rendered table. Both stacks run side
// by side and the map page alternates between them in WEB_BENCH_ROUNDS rounds (support/rounds.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Browser } from "playwright-core";
import { openDb, type Db } from "@curator/db/client.js";
import { deployMigrations } from "@curator/db/migrate.js";

import { alternate, jsonLine, roundsFrom, timed, type Side } from "./support/rounds.js";
import { median } from "./support/stats.js";

const { values: args } = parseArgs({ options: { points: { type: "string", default: "100000" }, runs: { type: "string", default: "3" } } });
const nPoints = Number(args.points);
const runs = Number(args.runs);
const ANCHOR_POINTS = 1_000;

/** The e2e harness (compiled by `npx tsc -b` into test/dist), loaded at run time: bench/ cannot import test/ sources. */
interface Harness {
  startStack(options: { env: Record<string, string> }): Promise<{ webUrl: string; stop(): Promise<void> }>;
  launchChromium(): Promise<Browser>;
}
const harness = (await import(new URL("../../test/dist/e2e/harness.js", import.meta.url).href)) as Harness;

/** n tracks over n/100 albums and n/500 artists, and a READY CF layout placing all of them; returns the folder. */
async function seed(n: number): Promise<{ url: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "curator-bench-web-"));
  const url = `file:${join(dir, "bench.db")}`;
  await deployMigrations(url);
  const db: Db = openDb({ url });
  const artists = Math.max(1, Math.round(n / 500));
  const albums = Math.max(1, Math.round(n / 100));
  await db.artist.createMany({ data: Array.from({ length: artists }, (_, a) => ({ name: `Composer ${a}` })) });
  await db.album.createMany({ data: Array.from({ length: albums }, (_, a) => ({ title: `Soundtrack ${a}`, source: `bench:${a}` })) });
  const artistIds = (await db.artist.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
  const albumIds = (await db.album.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
  // SQLite binds at most 32766 parameters per statement: 2000 tracks × 12 columns stays under it.
  for (let start = 0; start < n; start += 2000) {
    await db.track.createMany({
      data: Array.from({ length: Math.min(2000, n - start) }, (_, k) => {
        const i = start + k;
        const album = Math.floor((i * albums) / n);
        return {
          externalId: `bench/${i}`,
          title: `Theme ${i}`,
          artistId: artistIds[Math.floor((album * artists) / albums)]!,
          albumId: albumIds[album]!,
          durationSec: 60 + (i % 240),
          audioPath: `/nonexistent/${i}.ogg`,
          contentHash: `hash-${i}`,
          channels: 2,
          sampleRate: 44100,
          codec: "vorbis",
        };
      }),
    });
  }
  const trackIds = (await db.track.findMany({ select: { id: true, albumId: true }, orderBy: { id: "asc" } }));
  const set = await db.factorSet.create({ data: { kind: "CF", dims: 2, params: "{}", status: "READY" } });
  const layout = await db.mapLayout.create({ data: { factorSetId: set.id, method: "bench", params: "{}", status: "READY" } });
  // Albums scattered on a plane, tracks in a blob around their album: what a UMAP of a catalogue looks like.
  for (let start = 0; start < trackIds.length; start += 5000) {
    await db.mapPoint.createMany({
      data: trackIds.slice(start, start + 5000).map(({ id, albumId }) => {
        const a = albumId ?? 0;
        const r = Math.sqrt(((id * 7919) % 1000) / 1000);
        const angle = (id * 2.399) % (2 * Math.PI);
        return { layoutId: layout.id, trackId: id, x: ((a * 97) % 200) + 3 * r * Math.cos(angle), y: ((a * 61) % 200) + 3 * r * Math.sin(angle) };
      }),
    });
  }
  await db.$disconnect();
  return { url, dir };
}

/** Milliseconds from navigation start to the page's first render, each run in a fresh page; one warm-up run first. */
async function timePage(browser: Browser, url: string, firstRender: string): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.waitForFunction(`(${firstRender}) !== undefined`, undefined, { timeout: 120_000 });
    const ms = Number(await page.evaluate(firstRender));
    await page.close();
    if (r > 0) times.push(ms);
  }
  return median(times);
}

const MAP_DRAWN = `performance.getEntriesByName("map-drawn")[0]?.startTime`;
/** The longest GraphQL request of the map page (the points), available once the map has drawn. */
const MAP_FETCH = `(${MAP_DRAWN}) === undefined ? undefined : Math.max(...performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/graphql")).map((e) => e.responseEnd - e.startTime))`;
const CATALOG_PAINT = `performance.getEntriesByName("first-contentful-paint")[0]?.startTime`;

/** A seeded database served by its own API + `next start`; `stop` removes everything. */
async function stackFor(n: number): Promise<{ webUrl: string; stop(): Promise<void> }> {
  const t0 = Date.now();
  const { url, dir } = await seed(n);
  console.log(`seeded ${n} tracks and map points in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const indexDir = mkdtempSync(join(tmpdir(), "curator-bench-web-idx-"));
  const stack = await harness.startStack({ env: { DATABASE_URL: url, INDEX_DIR: indexDir } });
  return {
    webUrl: stack.webUrl,
    async stop() {
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(indexDir, { recursive: true, force: true });
    },
  };
}

// Both stacks stay up and the map page alternates between them in rounds (support/rounds.ts); each round's figure
// is the median of `runs` fresh page loads. The browser's and the servers' CPU is not this process's, so the CPU
// column covers only the bench's own work and is not compared.
const big = await stackFor(nPoints);
const small = await stackFor(ANCHOR_POINTS);
const browser = await harness.launchChromium();
try {
  const mapSide = (label: string, webUrl: string): Side => ({
    label,
    async run() {
      const { result: ms, wall, cpu } = await timed(() => timePage(browser, `${webUrl}/map`, MAP_DRAWN));
      return { value: ms, wall, cpu };
    },
  });
  const comparison = await alternate({
    bench: "web",
    unit: "ms",
    anchorName: `the same map page with ${ANCHOR_POINTS} points`,
    rounds: roundsFrom("WEB_BENCH_ROUNDS", 3),
    cpuComparable: false,
    ours: mapSide(`${nPoints} points`, big.webUrl),
    anchor: mapSide(`${ANCHOR_POINTS} points`, small.webUrl),
  });
  const fetch = await timePage(browser, `${big.webUrl}/map`, MAP_FETCH);
  console.log(`map, ${nPoints} points: the latentMap request ${fetch.toFixed(0)} ms of the first render (median of ${runs})`);
  const catalog = await timePage(browser, `${big.webUrl}/`, CATALOG_PAINT);
  console.log(`catalog, ${nPoints} tracks: first contentful paint ${catalog.toFixed(0)} ms (median of ${runs})`);
  console.log(jsonLine(comparison, { catalog_ms: Math.round(catalog), map_fetch_ms: Math.round(fetch) }));
} finally {
  await browser.close();
  await big.stop();
  await small.stop();
}
process.exit(0);
