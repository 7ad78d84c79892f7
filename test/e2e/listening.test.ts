// Every track of the demo catalogue plays in Chromium: the corpus's default subset (Ogg, MP3 and tracker modules,
// which no browser decodes and the API serves as MP3 renditions) is ingested as `npm run demo` does, and each
// track's audioUrl is loaded to canplay; the track page of a module plays its excerpt at desktop and phone sizes,
// and an exported playlist's URLs serve what a player can read.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { issueApiKey } from "@curator/db/api-keys.js";
import { freshDb, type TestDb } from "../support/db.js";
import { runCli } from "../reliability/cli.js";
import { launchChromium, repoRoot, startStack, type Stack } from "./harness.js";
import { assertNoSidewaysScroll } from "./overflow.js";

const screenshots = join(repoRoot, "test-output", "screenshots");
const corpusDir = join(repoRoot, "data", "corpus");
const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

interface CatalogTrack {
  id: number;
  title: string;
  durationSec: number;
  audioUrl: string;
  audioCodec: string;
  audioMimeType: string;
}

/** Runs in the page (the test's tsconfig has no DOM types): loads one URL in a new audio element. */
const LOAD_TO_CANPLAY = `(url, mime) => new Promise((resolve) => {
  const audio = new Audio();
  const done = (ok, error) => {
    resolve({ ok, duration: audio.duration, canPlayType: audio.canPlayType(mime), error });
    // Let go of the connection: a page holds only a few per host, and 52 buffering elements would starve the rest.
    audio.removeAttribute("src");
    audio.load();
  };
  audio.addEventListener("canplay", () => done(true), { once: true });
  audio.addEventListener("error", () => done(false, audio.error?.message || "media error " + audio.error?.code), { once: true });
  setTimeout(() => done(false, "no canplay within 90 s"), 90000);
  audio.preload = "auto";
  audio.src = url;
})`;

let testDb: TestDb;
let stack: Stack;
let browser: Browser;
let tracks: CatalogTrack[];

before(async () => {
  testDb = await freshDb();
  await runCli(["corpus", "fetch", "--subset", "default", "--dir", corpusDir], testDb.url);
  await runCli(["ingest", "--subset", "default", "--dir", corpusDir], testDb.url);
  stack = await startStack({ env: { DATABASE_URL: testDb.url } });
  browser = await launchChromium();
  const body = await graphql<{ tracks: { edges: { node: CatalogTrack }[] } }>("{ tracks(first: 500) { edges { node { id title durationSec audioUrl audioCodec audioMimeType } } } }");
  tracks = body.tracks.edges.map((e) => e.node);
  mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  await testDb?.close();
});

async function graphql<T>(query: string, key?: string): Promise<T> {
  const res = await fetch(`${stack.apiUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data!;
}

/** A page that fails the test on any script error or console error. */
async function watchedPage(viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  return { page, errors };
}

test("every track of the demo catalogue plays to canplay in Chromium, tracker modules as MP3 renditions", async () => {
  assert.ok(tracks.length >= 40, `the default subset has ${tracks.length} tracks`);
  const modules = tracks.filter((t) => /\.(it|s3m|mod|xm)$/i.test(t.audioUrl) || t.audioCodec.includes("module"));
  assert.ok(modules.length >= 20, `the default subset's Pingus and TecnoballZ modules: ${modules.length}`);
  for (const t of modules) {
    assert.match(t.audioUrl, new RegExp(`^/media/audio/${t.id}\\.mp3$`));
    assert.match(t.audioCodec, /^MP3 \(rendition of the (IT|S3M|MOD|XM) module\)$/);
  }
  const { page, errors } = await watchedPage(VIEWPORTS[0]);
  await page.goto(`${stack.webUrl}/`);
  const failures: string[] = [];
  for (const t of tracks) {
    // Through the web server's /media proxy, as the pages load it; the element's own decoder decides.
    const result = await page.evaluate<{ ok: boolean; duration: number; canPlayType: string; error?: string }>(
      `(${LOAD_TO_CANPLAY})(${JSON.stringify(t.audioUrl)}, ${JSON.stringify(t.audioMimeType)})`,
    );
    if (!result.ok) failures.push(`${t.id} ${t.title} (${t.audioCodec}): ${result.error}`);
    else if (Math.abs(result.duration - t.durationSec) > 1.5) failures.push(`${t.id} ${t.title}: plays ${result.duration} s of ${t.durationSec} s`);
    else assert.notEqual(result.canPlayType, "", `${t.audioMimeType} is a type Chromium says it plays`);
  }
  assert.deepEqual(failures, [], `${failures.length} of ${tracks.length} tracks do not play; the servers said:\n${stack.output()}`);
  assert.deepEqual(errors, []);
  await page.close();
});

for (const viewport of VIEWPORTS) {
  test(`a tracker module's track page plays its analysed excerpt and says what is heard (${viewport.name})`, async () => {
    const module = tracks.find((t) => t.audioCodec.includes("rendition") && t.durationSec > 40)!;
    const { page, errors } = await watchedPage(viewport);
    await page.goto(`${stack.webUrl}/tracks/${module.id}`);
    await page.getByRole("heading", { name: module.title }).waitFor();
    await page.waitForFunction('document.querySelector("audio").readyState >= 1', undefined, { timeout: 60_000 });
    await page.getByText(`you hear ${module.audioCodec}`).waitFor();
    assert.equal(await page.locator("dt", { hasText: "You hear" }).locator("+ dd").innerText(), module.audioCodec);
    assert.match(await page.locator("dt", { hasText: "File" }).locator("+ dd").innerText(), /^(IT|S3M|MOD|XM) module, \d+ kHz/);
    await page.getByRole("button", { name: "Play the analysed excerpt" }).click();
    await page.waitForFunction('document.querySelector("audio").played.length > 0 && document.querySelector("audio").currentTime > 0', undefined, { timeout: 60_000 });
    const at = await page.evaluate<number>('document.querySelector("audio").currentTime');
    assert.ok(at >= (module.durationSec - Math.min(module.durationSec, 27.86)) / 2 - 0.5, `playing from the excerpt's start (at ${at} s)`);
    assert.equal(await page.getByRole("region", { name: "Listen" }).getByRole("alert").count(), 0, "no 'cannot play' message");
    await page.screenshot({ path: join(screenshots, `listening-module-${viewport.name}.png`) });
    await assertNoSidewaysScroll(page, "a module's track page");
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test("an exported playlist lists URLs that serve playable audio with their type and extension", async () => {
  const { key } = await issueApiKey(testDb.db, "listening-e2e", "EDITOR");
  const chosen = [tracks.find((t) => t.audioCodec.includes("rendition"))!, tracks.find((t) => !t.audioCodec.includes("rendition"))!];
  const made = await graphql<{ createPlaylist: { id: number } }>(`mutation { createPlaylist(name: "Listening check") { id } }`, key);
  const id = made.createPlaylist.id;
  await graphql(`mutation { addToPlaylist(playlistId: ${id}, trackIds: [${chosen.map((t) => t.id).join(", ")}]) { id } }`, key);
  const { playlistExport } = await graphql<{ playlistExport: string }>(`{ playlistExport(id: ${id}, format: M3U, baseUrl: "${stack.webUrl}") }`, key);
  const urls = playlistExport.split("\n").filter((line) => line.startsWith("http"));
  assert.deepEqual(urls, chosen.map((t) => `${stack.webUrl}${t.audioUrl}`));
  for (const [i, url] of urls.entries()) {
    const res = await fetch(url);
    assert.equal(res.status, 200, url);
    assert.equal(res.headers.get("content-type"), chosen[i]!.audioMimeType, url);
    await res.arrayBuffer();
  }
});
