// The editor's whole task in Chromium, at 1440×900 and 390×844, on the e2e harness's freshly built demo
// database: find a track, listen to it (canplay), compare (similar tracks, why similar), generate a playlist with
// the default rules shown and export it (the file says what the listener hears), then review flags (confirm one,
// reject one, undo) and read the history. Any console error, any link on a visited page that does not answer 200,
// or any sideways scroll fails the walk. Also: the sign-in hints a read-only visitor sees, and the filters'
// weight pictures with their axes and colour scale. Screenshots go to test-output/screenshots/editor-*.png.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { freshDb, type TestDb } from "../support/db.js";
import { tempIndexDir } from "../support/indexed-api.js";
import { launchChromium, repoRoot, startStack, type Stack, graphqlAs } from "./harness.js";
import { assertNoSidewaysScroll } from "./overflow.js";
import { seedWorkbench, type Workbench } from "./workbench-seed.js";

const screenshots = join(repoRoot, "test-output", "screenshots");
const VIEWPORTS = {
  desktop: { width: 1440, height: 900 },
  phone: { width: 390, height: 844 },
} as const;
type ViewportName = keyof typeof VIEWPORTS;

let testDb: TestDb;
let indexDir: ReturnType<typeof tempIndexDir>;
let seed: Workbench;
let stack: Stack;
let browser: Browser;
let context: BrowserContext | null = null;

before(async () => {
  testDb = await freshDb();
  seed = await seedWorkbench(testDb.db);
  indexDir = tempIndexDir();
  stack = await startStack({ env: { DATABASE_URL: testDb.url, INDEX_DIR: indexDir.dir } });
  browser = await launchChromium();
  mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
  await testDb?.close();
  indexDir?.remove();
  seed?.removeMedia();
});

/** The API with the editor's key (harness.ts). */
const api = graphqlAs(() => stack, () => seed.editorKey);

/** A fresh context per walk; console errors and page errors are collected, and fail the walk at its end. */
async function open(name: ViewportName): Promise<{ page: Page; errors: string[] }> {
  await context?.close();
  context = await browser.newContext({ viewport: VIEWPORTS[name], acceptDownloads: true, hasTouch: name === "phone", isMobile: name === "phone" });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`page error on ${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console error on ${page.url()}: ${message.text()}`);
  });
  return { page, errors };
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshots, `editor-${name}.png`) });

/** Every link of the page answers 200 (checked once per address), and nothing is wider than the screen. */
async function checkPage(page: Page, checked: Set<string>, label: string): Promise<void> {
  await assertNoSidewaysScroll(page, label);
  const hrefs = await page.evaluate<string[]>(`[...document.querySelectorAll("a[href]")].map((a) => a.href)`);
  for (const href of hrefs) {
    if (!href.startsWith(stack.webUrl) || checked.has(href)) continue;
    checked.add(href);
    const res = await fetch(href, { redirect: "follow" });
    assert.equal(res.status, 200, `${label}: the link ${href} answers ${res.status}`);
  }
}

async function signIn(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("API key").fill(seed.editorKey);
  await page.keyboard.press("Enter");
  await page.getByText(/^Editor$/).waitFor();
}

for (const name of ["desktop", "phone"] as const) {
  test(`${name}: find → listen → compare → generate and export a playlist → review flags, no console error, dead link or sideways scroll`, async () => {
    const { page, errors } = await open(name);
    const checked = new Set<string>();
    // The track the workbench seed gives audio neighbours that share dense units (its why-similar has content).
    const track = seed.tracks[0]!;

    // Find.
    await page.goto(`${stack.webUrl}/`);
    await page.getByRole("heading", { name: "Catalog" }).waitFor();
    await signIn(page);
    await page.getByLabel("Search", { exact: true }).fill(track.title);
    await page.keyboard.press("Enter");
    await page.getByRole("link", { name: track.title, exact: true }).first().waitFor();
    await checkPage(page, checked, "catalogue search");
    await shot(page, `${name}-1-find`);
    await page.getByRole("link", { name: track.title, exact: true }).first().click();

    // Listen: the player reaches canplay (readyState polled: the event may fire before hydration).
    await page.getByRole("heading", { name: track.title }).waitFor();
    await page.waitForFunction('document.querySelector("audio") && document.querySelector("audio").readyState >= 3', undefined, { timeout: 30_000 });

    // Compare: the similar tracks, and why the first audio neighbour is similar.
    const similar = page.getByRole("region", { name: "Similar by Audio" });
    await similar.getByRole("listitem").first().waitFor();
    const why = similar.locator("details").first();
    await why.locator("summary").click();
    await why.getByRole("list", { name: "Shared dense units" }).waitFor();
    await page.waitForLoadState("networkidle");
    await checkPage(page, checked, "track page");
    await shot(page, `${name}-2-listen-compare`);

    // Build: a playlist from this track, the default rules shown before it is made.
    await page.getByRole("link", { name: "Playlist from this track" }).click();
    const form = page.getByRole("form", { name: "Generate from a seed track" });
    const rules = form.locator("summary", { hasText: "Rules:" });
    await rules.waitFor();
    assert.equal(await rules.innerText(), "Rules: skips flagged tracks, skips tracks under 45 s, spreads artists");
    await rules.click();
    assert.equal(await form.getByLabel(/Skip flagged tracks/).isChecked(), true);
    assert.equal(await form.getByLabel(/Spread artists/).isChecked(), true);
    await shot(page, `${name}-3-generate`);
    await form.getByRole("button", { name: "Generate from seed" }).click();
    const editor = page.getByRole("region", { name: "Playlist" });
    await editor.getByRole("heading", { name: `Like “${track.title}”` }).waitFor();

    // The made playlist follows the rules: no flagged or short track after the seed, no artist twice in a row
    // unless every remaining track is by that artist.
    const listed = await api<{ playlists: { edges: { node: { id: number; name: string } }[] } }>("{ playlists(first: 200) { edges { node { id name } } } }");
    const made = listed.playlists.edges.map((e) => e.node).filter((p) => p.name === `Like “${track.title}”`).at(-1)!;
    type Entry = { track: { id: number; durationSec: number; artist: { name: string }; outlierFlags: { status: string }[] } };
    const { playlist } = await api<{ playlist: { items: Entry[] } }>(
      `query($id: Int!) { playlist(id: $id) { items(first: 500) { track { id durationSec artist { name } outlierFlags { status } } } } }`,
      { id: made.id },
    );
    assert.equal(playlist.items[0]!.track.id, track.id, "the seed first");
    for (const { track: t } of playlist.items.slice(1)) {
      assert.ok(t.durationSec >= 45, `track ${t.id} is ${t.durationSec} s`);
      assert.ok(t.outlierFlags.every((f) => f.status === "REJECTED"), `track ${t.id} is flagged`);
    }
    const artists = playlist.items.map((i) => i.track.artist.name);
    artists.forEach((a, i) => {
      if (i > 0 && a === artists[i - 1]) assert.ok(artists.slice(i).every((rest) => rest === a), `artists in order: ${artists.join(", ")}`);
    });

    // Export: the M3U file says what the listener hears above each entry.
    const downloading = page.waitForEvent("download");
    await editor.getByRole("button", { name: "Export M3U" }).click();
    const m3u = readFileSync((await (await downloading).path())!, "utf8").split("\n");
    const audioLines = m3u.filter((line) => line.startsWith("# Audio: "));
    assert.equal(audioLines.length, playlist.items.length);
    assert.ok(audioLines.every((line) => line === "# Audio: Vorbis"), audioLines.join("; "));
    await page.waitForLoadState("networkidle");
    await checkPage(page, checked, "playlists");
    await shot(page, `${name}-4-playlist`);

    // Review: confirm one flag, reject another, undo the rejection; the history shows all three decisions.
    await page.goto(`${stack.webUrl}/flags?status=OPEN`);
    const items = page.getByRole("listitem").filter({ has: page.getByRole("button", { name: /^Confirm the / }) });
    await items.first().waitFor();
    const [first, second] = [await items.nth(0).getAttribute("aria-label"), await items.nth(1).getAttribute("aria-label")];
    const item = (label: string) => page.getByRole("listitem", { name: label, exact: true });
    await item(first!).getByRole("button", { name: /^Confirm the / }).click();
    await page.getByRole("status", { name: "Last action" }).getByText(/^Confirmed/).waitFor();
    await item(second!).getByRole("button", { name: /^Reject the / }).click();
    await page.getByRole("status", { name: "Last action" }).getByText(/^Rejected/).waitFor();
    await page.getByRole("status", { name: "Last action" }).getByRole("button", { name: "Undo" }).click();
    await page.getByRole("status", { name: "Last action" }).waitFor({ state: "detached" });
    await page.goto(`${stack.webUrl}/flags`);
    const history = item(second!).locator("details", { hasText: "History" });
    await history.locator("summary").click();
    const entries = await history.getByRole("listitem").allInnerTexts();
    assert.ok(entries.length >= 2, entries.join(" | "));
    assert.match(entries[0]!, /^reopened\s+by e2e-editor/i);
    assert.match(entries[1]!, /^rejected\s+by e2e-editor/i);
    const confirmed = item(first!).locator("details", { hasText: "History" });
    await confirmed.locator("summary").click();
    assert.match((await confirmed.getByRole("listitem").allInnerTexts()).join("|"), /^confirmed\s+by e2e-editor/i);
    await history.scrollIntoViewIfNeeded();
    await page.waitForLoadState("networkidle");
    await checkPage(page, checked, "flags");
    await shot(page, `${name}-5-flags-history`);

    assert.deepEqual(errors, []);
  });

  test(`${name}: read-only visitors see why they cannot edit playlists and the map; filters show readable weight pictures and what previews play`, async () => {
    const { page, errors } = await open(name);
    await page.goto(`${stack.webUrl}/playlists`);
    await page.getByRole("navigation", { name: "Playlists" }).getByText("Sign in to edit").waitFor();
    assert.match(await page.getByRole("navigation", { name: "Playlists" }).innerText(), /Sign in to edit: creating, generating and editing playlists\./);
    await shot(page, `${name}-6-playlists-signed-out`);

    const [from, to] = [seed.warm[0]!, seed.warm[1]!];
    await page.goto(`${stack.webUrl}/map?from=${from}&to=${to}&sel=${from},${to}`);
    await page.getByRole("heading", { name: "Latent map" }).waitFor();
    await page.waitForFunction('performance.getEntriesByName("map-drawn").length > 0');
    await page.getByRole("list", { name: "Path tracks" }).waitFor();
    for (const panel of ["Sonic path", "Selection"]) {
      await page.getByRole("region", { name: panel }).getByRole("link", { name: "Sign in to edit" }).waitFor();
    }
    assert.match(await page.getByRole("region", { name: "Sonic path" }).innerText(), /Sign in to edit: saving the path as a playlist\./);
    await page.waitForLoadState("networkidle");
    await shot(page, `${name}-7-map-signed-out`);

    await page.goto(`${stack.webUrl}/filters`);
    const figure = page.getByRole("figure", { name: /^Weights of filter 0$/ });
    await figure.waitFor();
    await page.waitForFunction(`[...document.querySelectorAll("figure img")].every((img) => img.complete && img.naturalWidth > 0)`);
    const labels = await figure.innerText();
    for (const tick of ["100 Hz", "1 kHz", "8 kHz", "+1", "−1", "Time (ms)"]) assert.ok(labels.includes(tick), `the picture shows ${tick}: ${labels}`);
    const picture = (await figure.locator("img").boundingBox())!;
    assert.ok(picture.height >= 256, `the picture is ${picture.height} px tall: two pixels a mel band at least`);
    assert.ok(picture.width >= 80, `the picture is ${picture.width} px wide`);
    const card = page.getByRole("article", { name: "Filter 0" });
    assert.match(await card.innerText(), /Previews play Vorbis/);
    await assertNoSidewaysScroll(page, "filters");
    await figure.scrollIntoViewIfNeeded();
    await shot(page, `${name}-8-filters`);
    assert.deepEqual(errors, []);
  });
}
