import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { Db } from "@curator/db/client.js";
import { freshDb, type TestDb } from "../support/db.js";
import { launchChromium, repoRoot, startStack, type Stack } from "./harness.js";

const screenshots = join(repoRoot, "test-output", "screenshots");
/** More than the catalogue's page of 50, so scrolling has a second page to fetch. */
const FILLER_TRACKS = 50;

let testDb: TestDb;
let db: Db;
let stack: Stack;
let browser: Browser;
let page: Page;
let runningJobId: number;
/** What the ingest job skipped, listed on the jobs page. */
const BAD_ITEMS = [
  { item: "/music/broken.ogg", reason: "ffprobe: Invalid data found when processing input" },
  { item: "/music/notes.txt", reason: "not audio" },
];

async function seed(db: Db): Promise<void> {
  const macleod = await db.artist.create({ data: { name: "Kevin MacLeod" } });
  const zabriskie = await db.artist.create({ data: { name: "Chris Zabriskie" } });
  const brokeForFree = await db.artist.create({ data: { name: "Broke For Free" } });
  const tone = await db.artist.create({ data: { name: "Test Tone" } });
  const impact = await db.album.create({ data: { title: "Impact", source: "debian:test-impact", licence: "CC-BY-4.0" } });
  const divider = await db.album.create({ data: { title: "Divider", source: "debian:test-divider", licence: "CC-BY-4.0" } });
  const tracks = [
    { title: "Cipher", artistId: macleod.id, albumId: impact.id, position: 1, durationSec: 160.2 },
    { title: "Intro", artistId: macleod.id, albumId: impact.id, position: 2, durationSec: 32, isShort: true },
    { title: "Divider", artistId: zabriskie.id, albumId: divider.id, position: 1, durationSec: 301 },
    { title: "Cylinder Five", artistId: zabriskie.id, albumId: divider.id, position: 2, durationSec: 247.4 },
    { title: "Night Owl", artistId: brokeForFree.id, albumId: null, position: null, durationSec: 195 },
    ...Array.from({ length: FILLER_TRACKS }, (_, i) => ({
      title: `Tone ${String(i + 1).padStart(2, "0")}`,
      artistId: tone.id,
      albumId: null,
      position: null,
      durationSec: 60 + i,
    })),
  ];
  await db.track.createMany({
    data: tracks.map((track, i) => ({
      ...track,
      externalId: `e2e/${i}`,
      audioPath: `/nonexistent/${i}.ogg`,
      contentHash: `hash-${i}`,
      channels: 2,
      sampleRate: 44100,
      codec: "vorbis",
    })),
  });
  // Every track but Night Owl has training listens (so only it is cold); Intro has an open outlier flag.
  const listener = await db.user.create({ data: { externalId: "e2e-listener" } });
  const warm = await db.track.findMany({ where: { title: { not: "Night Owl" } }, select: { id: true } });
  await db.listen.createMany({ data: warm.map(({ id }) => ({ userId: listener.id, trackId: id, plays: 2 })) });
  const intro = await db.track.findFirstOrThrow({ where: { title: "Intro" } });
  await db.outlierFlag.create({ data: { trackId: intro.id, kind: "INTRO", score: 0.9, reason: "32 s at the start of the album" } });
  await db.job.create({
    data: {
      stage: "ingest",
      status: "PARTIAL",
      done: 55,
      total: 55,
      failed: 2,
      message: "2 files skipped",
      badItems: { create: BAD_ITEMS },
    },
  });
  await db.job.create({ data: { stage: "factorize", status: "FAILED", done: 0, total: 0, error: "no listening data: import listens first" } });
  const running = await db.job.create({ data: { stage: "features", status: "RUNNING", done: 20, total: 55, message: "log-mel of Cipher" } });
  runningJobId = running.id;
}

before(async () => {
  testDb = await freshDb();
  db = testDb.db;
  await seed(db);
  stack = await startStack({ env: { DATABASE_URL: testDb.url } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 640 } });
  mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  await testDb?.close();
});

const rows = () => page.locator("tbody tr");
const row = (title: string) => rows().filter({ has: page.getByText(title, { exact: true }) });

function titles(): Promise<string[]> {
  return page.locator("tbody tr td:first-child > span:first-child").allInnerTexts();
}

const scroller = () => page.locator("div:has(> table)");

/** Waits for a re-fetched list (new order or filter) to lead with `expected`. */
async function titlesStartWith(...expected: string[]): Promise<void> {
  const leading = async () => (await titles()).slice(0, expected.length);
  for (let tries = 0; tries < 200; tries++) {
    if (JSON.stringify(await leading()) === JSON.stringify(expected)) return;
    await page.waitForTimeout(50);
  }
  assert.deepEqual(await leading(), expected);
}

async function scrollToEnd(): Promise<void> {
  await scroller().evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
}

test("catalog virtualises rows, loads pages on scroll, sorts through the API, filters and searches", async () => {
  await page.goto(`${stack.webUrl}/`);
  await row("Cipher").waitFor();
  await page.getByText("50 of 55 tracks").waitFor();
  // Only the rows in view (plus overscan) are in the DOM, not the 50 loaded.
  assert.ok((await titles()).length < 50, `${(await titles()).length} rows rendered`);
  assert.match(await row("Intro").innerText(), /Kevin MacLeod\s+Impact\s+0:32/);
  assert.match(await row("Intro").innerText(), /short/i);
  assert.match(await row("Intro").innerText(), /flagged/i);
  assert.doesNotMatch(await row("Cipher").innerText(), /short|cold|flagged/i);
  assert.match(await row("Cipher").innerText(), /Kevin MacLeod\s+Impact\s+2:40/);
  assert.match(await row("Night Owl").innerText(), /cold/i);
  assert.match(await row("Night Owl").innerText(), /Broke For Free\s+—\s+3:15/);
  await page.screenshot({ path: join(screenshots, "catalog.png") });

  // Scrolling to the end fetches the second page through the same-origin /graphql proxy.
  await scrollToEnd();
  await page.getByText("55 of 55 tracks").waitFor();
  await scrollToEnd();
  await row("Tone 50").waitFor();

  // Sorting is the API's: on a fresh load "Tone 50" is not among the 50 loaded rows, yet title-descending leads with it.
  await page.goto(`${stack.webUrl}/`);
  await page.getByText("50 of 55 tracks").waitFor();
  const title = page.getByRole("button", { name: /Title/ });
  await title.click();
  await titlesStartWith("Cipher", "Cylinder Five", "Divider");
  await title.click();
  await titlesStartWith("Tone 50", "Tone 49");
  assert.equal(await page.getByRole("columnheader", { name: /Title/ }).getAttribute("aria-sort"), "descending");

  const cold = page.getByRole("checkbox", { name: "Cold only" });
  await cold.check();
  await titlesStartWith("Night Owl");
  assert.deepEqual(await titles(), ["Night Owl"]);
  await cold.uncheck();
  await page.getByRole("checkbox", { name: "Flagged only" }).check();
  await titlesStartWith("Intro");
  assert.deepEqual(await titles(), ["Intro"]);
  await page.getByRole("checkbox", { name: "Flagged only" }).uncheck();
  await page.getByRole("spinbutton", { name: "Min s" }).fill("300");
  await titlesStartWith("Divider");
  assert.deepEqual(await titles(), ["Divider"]);
  // An inverted range is refused in the page and the last valid filter stays.
  await page.getByRole("spinbutton", { name: "Max s" }).fill("100");
  await page.getByText("The minimum duration is above the maximum.").waitFor();
  assert.deepEqual(await titles(), ["Divider"]);

  // "/" focuses the search box from anywhere on the page (the search remounts the table with no filters).
  await page.locator("h1").click();
  await page.keyboard.press("/");
  await page.keyboard.type("Zabriskie");
  await page.waitForURL(/\?q=Zabriskie$/);
  await row("Cipher").waitFor({ state: "detached" });
  await page.getByText("2 of 2 tracks").waitFor();
  assert.deepEqual(await titles(), ["Divider", "Cylinder Five"]);

  const duration = page.getByRole("button", { name: /Duration/ });
  await duration.click();
  await titlesStartWith("Cylinder Five", "Divider");
  assert.equal(await page.getByRole("columnheader", { name: /Duration/ }).getAttribute("aria-sort"), "ascending");
  await duration.click();
  await titlesStartWith("Divider", "Cylinder Five");

  // The navigation link clears the search, in the URL and in the box.
  await page.getByRole("link", { name: "Catalog" }).click();
  await row("Cipher").waitFor();
  assert.equal(await page.getByRole("searchbox").inputValue(), "");

  await page.getByRole("searchbox").fill("no such thing");
  await page.getByText("No tracks match").waitFor();
});

test("jobs page shows progress, errors with the skipped items, and polls while a job runs", async () => {
  await page.goto(`${stack.webUrl}/jobs`);
  const running = rows().filter({ hasText: "features" });
  assert.equal(await running.getByRole("progressbar").getAttribute("aria-valuenow"), "20");
  assert.match(await running.innerText(), /running/i);
  assert.match(await rows().filter({ hasText: "factorize" }).innerText(), /no listening data/);
  const ingest = rows().filter({ hasText: "ingest" });
  assert.match(await ingest.innerText(), /2 failed/);
  await ingest.getByText("2 skipped items").click();
  const skipped = ingest.getByRole("list", { name: /skipped$/ }).getByRole("listitem");
  await skipped.first().waitFor();
  assert.deepEqual(await skipped.allInnerTexts(), BAD_ITEMS.map((bad) => `${bad.item} — ${bad.reason}`));
  await page.screenshot({ path: join(screenshots, "jobs.png") });

  await db.job.update({ where: { id: runningJobId }, data: { done: 55, status: "SUCCEEDED" } });
  await running.getByText("55/55").waitFor({ timeout: 10_000 });
  assert.match(await running.innerText(), /succeeded/i);
});

test("pages report an unreachable API with an error banner", async () => {
  await stack.stopApi();
  await page.goto(`${stack.webUrl}/`);
  assert.match(await page.getByRole("alert").filter({ hasText: "Could not load" }).innerText(), /Could not load the catalogue.*unreachable/s);
  await page.screenshot({ path: join(screenshots, "catalog-api-down.png") });
});
