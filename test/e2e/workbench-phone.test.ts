// The editor's workbench on a desktop (1440×900) and a phone (390×844, touch) in Chromium: no page scrolls sideways
// and the sections stay reachable, each page has its own title, unknown addresses get a 404 with a way back,
// search forgives word order and typos, the catalogue's filters and sort and the map's state live in the URL, and
// the map recovers from Find, shows ?track=, fits, resets, clears on Escape, has a legend and selects by touch.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { freshDb, type TestDb } from "../support/db.js";
import { tempIndexDir } from "../support/indexed-api.js";
import { launchChromium, repoRoot, startStack, type Stack, graphqlAs } from "./harness.js";
import { assertNoSidewaysScroll } from "./overflow.js";
import { seedWorkbench, type Workbench } from "./workbench-seed.js";

const screenshots = join(repoRoot, "test-output", "screenshots");

const VIEWPORTS = {
  desktop: { viewport: { width: 1440, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
} as const;
type ViewportName = keyof typeof VIEWPORTS;

let testDb: TestDb;
let indexDir: ReturnType<typeof tempIndexDir>;
let seed: Workbench;
let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Script errors in any page: every test ends by asserting there were none. */
const pageErrors: string[] = [];
const CHAOSLAND = "Escape from Chaosland";

before(async () => {
  testDb = await freshDb();
  seed = await seedWorkbench(testDb.db);
  // The title the issue searched for, so the forgiving search is tried on the words an editor typed.
  await testDb.db.track.update({ where: { id: seed.warm[2]! }, data: { title: CHAOSLAND } });
  // 64 first-layer filters, as the real model has: more than one page of the filters view.
  const run = await testDb.db.filter.findFirstOrThrow({ where: { layer: "CONV1" }, select: { modelRunId: true } });
  await testDb.db.filter.createMany({ data: Array.from({ length: 58 }, (_, i) => ({ modelRunId: run.modelRunId, layer: "CONV1" as const, index: 6 + i })) });
  indexDir = tempIndexDir();
  stack = await startStack({ env: { DATABASE_URL: testDb.url, INDEX_DIR: indexDir.dir } });
  browser = await launchChromium();
  mkdirSync(screenshots, { recursive: true });
});

// What the page showed when a test ended, failed or not: the first thing to look at when one fails.
afterEach(async (t) => {
  if (current) await current.page.screenshot({ path: join(screenshots, `last-${t.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}.png`) }).catch(() => undefined);
});

after(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stack?.stop();
  await testDb?.close();
  indexDir?.remove();
  seed?.removeMedia();
});

let current: { name: string; page: Page } | null = null;

/** A fresh browser context per test; the last one is closed (a map left open keeps drawing and costs CPU). */
async function open(name: ViewportName): Promise<Page> {
  await contexts.pop()?.close();
  const context = await browser.newContext(VIEWPORTS[name]);
  contexts.push(context);
  const page = await context.newPage();
  current = { name, page };
  page.on("pageerror", (error) => pageErrors.push(`${name} ${page.url()}: ${error.message}`));
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshots, `${name}.png`) });

const PAGES = ["/", "/map", "/review", "/flags", "/playlists", "/filters", "/evaluations", "/jobs", "/signin", "/keys"];

for (const name of ["desktop", "phone"] as const) {
  test(`${name}: no page scrolls sideways, every section link is on screen, every page has its own title`, async () => {
    const page = await open(name);
    const width = VIEWPORTS[name].viewport.width;
    const titles = new Map<string, string>();
    const job = await testDb.db.job.findFirstOrThrow({ select: { id: true } });
    for (const path of [...PAGES, `/tracks/${seed.tracks[0]!.id}`, `/jobs/${job.id}`]) {
      await page.goto(`${stack.webUrl}${path}`);
      await page.locator("main h1").first().waitFor();
      if (path === "/map") await page.waitForFunction('performance.getEntriesByName("map-drawn").length > 0');
      await page.waitForLoadState("networkidle");
      await assertNoSidewaysScroll(page, `${path} at ${width} px`);
      for (const link of await page.getByRole("navigation", { name: "Sections" }).getByRole("link").all()) {
        const box = (await link.boundingBox())!;
        assert.ok(box.x >= 0 && box.x + box.width <= width, `${path}: the ${await link.innerText()} link is off-screen at ${width} px`);
      }
      const signIn = (await page.getByRole("banner").getByRole("button", { name: "Sign in" }).boundingBox())!;
      assert.ok(signIn.x >= 0 && signIn.x + signIn.width <= width, `${path}: Sign in is off-screen`);
      titles.set(path, await page.title());
      await page.screenshot({ path: join(screenshots, `${name}-page${path === "/" ? "-catalog" : path.replaceAll("/", "-")}.png`), fullPage: true });
    }
    assert.equal(new Set(titles.values()).size, titles.size, `titles repeat: ${JSON.stringify([...titles])}`);
    assert.match(titles.get(`/tracks/${seed.tracks[0]!.id}`)!, new RegExp(`^${seed.tracks[0]!.title}`));
    assert.deepEqual(pageErrors, []);
  });

  test(`${name}: an unknown address answers 404 with a search and a link back`, async () => {
    const page = await open(name);
    const res = await page.goto(`${stack.webUrl}/no/such/page`);
    assert.equal(res?.status(), 404);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    assert.equal(await page.title(), "Not found · Curator Workbench");
    await assertNoSidewaysScroll(page, "the 404 page");
    await shot(page, `${name}-404`);
    await page.getByLabel("Search the catalogue").fill("chaoss");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL((url) => url.pathname === "/" && url.searchParams.get("q") === "chaoss");
    await page.getByRole("link", { name: CHAOSLAND }).waitFor();
    assert.equal((await (await fetch(`${stack.webUrl}/tracks/999999`)).status), 404, "a missing track is a 404 too");
    await page.goto(`${stack.webUrl}/no/such/page`);
    await page.getByRole("link", { name: "Back to the catalogue" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByRole("heading", { name: "Catalog" }).waitFor();
  });

  test(`${name}: catalogue search forgives word order and typos; filters and sort survive reload and Back`, async () => {
    const page = await open(name);
    const rows = () => page.locator("tbody tr").filter({ has: page.getByRole("link") });
    for (const text of ["chaosland escape", "chaoss", "CHAOSLAND"]) {
      await page.goto(`${stack.webUrl}/?q=${encodeURIComponent(text)}`);
      await page.getByRole("link", { name: CHAOSLAND }).waitFor();
      assert.equal(await rows().count(), 1, `"${text}" finds only ${CHAOSLAND}`);
    }
    await page.goto(`${stack.webUrl}/`);
    await page.getByLabel("Search", { exact: true }).fill("escape chaosland");
    await page.waitForURL((url) => url.searchParams.get("q") === "escape chaosland");
    await page.getByRole("link", { name: CHAOSLAND }).waitFor();
    await page.getByLabel("Search", { exact: true }).fill("");
    await page.waitForURL((url) => !url.searchParams.has("q"));

    await page.getByLabel("Flagged only").check();
    await page.getByRole("button", { name: /Duration/ }).click();
    await page.getByRole("button", { name: /Duration/ }).click();
    await page.waitForURL((url) => url.searchParams.get("flagged") === "1" && url.searchParams.get("sort") === "duration" && url.searchParams.get("dir") === "desc");
    const expected = await fetch(`${stack.apiUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ tracks(first: 50, filter: { flagged: true }, orderBy: { field: DURATION, direction: DESC }) { edges { node { title } } } }` }),
    }).then(async (r) => ((await r.json()) as { data: { tracks: { edges: { node: { title: string } }[] } } }).data.tracks.edges.map((e) => e.node.title));
    const titles = () => rows().locator("a").allInnerTexts();
    await page.waitForFunction(`document.querySelectorAll("tbody tr a").length === ${expected.length}`);
    assert.deepEqual(await titles(), expected);
    await shot(page, `${name}-catalog-filtered`);

    await page.reload();
    assert.equal(await page.getByLabel("Flagged only").isChecked(), true, "the filter survives a reload");
    assert.deepEqual(await titles(), expected, "and so does the order");
    await rows().first().getByRole("link").click();
    await page.waitForURL((url) => url.pathname.startsWith("/tracks/"));
    await page.goBack();
    await page.waitForURL((url) => url.pathname === "/" && url.searchParams.get("flagged") === "1");
    await page.getByLabel("Flagged only").waitFor();
    assert.equal(await page.getByLabel("Flagged only").isChecked(), true, "Back returns to the filtered list");
    await page.waitForFunction(`document.querySelectorAll("tbody tr a").length === ${expected.length}`);
    assert.deepEqual(await titles(), expected);
    assert.deepEqual(pageErrors, []);
  });
}

/** Waits for the map's next draw after `act`, which must cause one. */
async function redrawn(page: Page, act: () => Promise<unknown>): Promise<void> {
  const before = await page.evaluate<number>('performance.getEntriesByName("map-drawn").length');
  await act();
  await page.waitForFunction(`performance.getEntriesByName("map-drawn").length > ${before}`);
}

/**
 * Where a track's point is on the screen: the seed's coordinates scaled into [-1, 1] as encode.ts does, under a
 * camera (target x, y and distance z, as the URL's view= holds it; the whole-layout fit by default). At distance 1
 * the canvas height spans [-1, 1].
 */
function pointOnScreen(id: number, box: { x: number; y: number; width: number; height: number }, view?: { x: number; y: number; z: number }): { x: number; y: number } {
  const xs = [...seed.cfMap.values()].map((p) => p.x);
  const ys = [...seed.cfMap.values()].map((p) => p.y);
  const [cx, cy] = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
  const half = (Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) / 2) * 1.05;
  const p = seed.cfMap.get(id)!;
  const camera = view ?? { x: 0, y: 0, z: Math.max(1, box.height / box.width) };
  const scale = box.height / 2 / camera.z;
  return { x: box.x + box.width / 2 + ((p.x - cx) / half - camera.x) * scale, y: box.y + box.height / 2 - ((p.y - cy) / half - camera.y) * scale };
}

/** The camera distance at which the whole map fits the canvas (see ScatterCanvas). */
const fitDistance = (box: { width: number; height: number }) => Math.max(1, box.height / box.width);

for (const name of ["desktop", "phone"] as const) {
  test(`${name}: map: Find then switching space keeps the page, Reset and Zoom to fit come back, spaces without a map are not offered`, async () => {
    const page = await open(name);
    await page.goto(`${stack.webUrl}/map`);
    await page.waitForFunction('performance.getEntriesByName("map-drawn").length > 0');
    const space = page.getByLabel("Space");
    assert.deepEqual(await space.locator("option").allInnerTexts(), ["Listeners (CF)", "Audio (middle 30 s)"], "the seed has no whole-track map");

    const finder = page.getByRole("combobox", { name: "Find a track" });
    await finder.fill("Chaosland");
    await page.getByRole("option", { name: new RegExp(CHAOSLAND) }).first().waitFor();
    await page.keyboard.press("Enter");
    const canvas = page.locator("canvas");
    await page.waitForFunction('document.querySelector("canvas")?.dataset.selected === "1"');
    await page.waitForURL((url) => url.searchParams.get("track") === String(seed.warm[2]));
    await redrawn(page, () => space.selectOption({ label: "Audio (middle 30 s)" }));
    await page.waitForFunction(`document.querySelector("[data-points]")?.dataset.points === "${seed.tracks.length}"`);
    // The found track is on the audio map too, so it stays selected there.
    await page.waitForFunction('document.querySelector("canvas")?.dataset.selected === "1"');
    assert.equal(await page.getByRole("heading", { name: "Latent map" }).count(), 1, "the page is still there");
    await page.waitForURL((url) => url.searchParams.get("space") === "audio-middle");
    await shot(page, `${name}-map-found-audio`);

    await page.getByRole("button", { name: "Reset" }).click();
    await page.waitForFunction('document.querySelector("canvas")?.dataset.selected === "0"');
    await page.waitForURL((url) => !url.searchParams.has("track"));
    await page.getByRole("button", { name: "Zoom to fit" }).click();
    const box = (await canvas.boundingBox())!;
    await page.waitForURL((url) => Math.abs(Number(url.searchParams.get("view")?.split(",")[2]) - fitDistance(box)) < 0.01);
    assert.ok(await canvas.isVisible());
    assert.deepEqual(pageErrors, []);
  });

  test(`${name}: map: ?track= highlights the track; space, colouring, camera and picks come back on reload; legend; Esc clears the path`, async () => {
    const page = await open(name);
    const id = seed.warm[5]!;
    await page.goto(`${stack.webUrl}/tracks/${id}`);
    await page.getByRole("link", { name: /show on map/ }).click();
    await page.waitForURL((url) => url.pathname === "/map" && url.searchParams.get("track") === String(id));
    await page.waitForFunction('document.querySelector("canvas")?.dataset.selected === "1"');
    // The camera zoomed in on the track, and the URL says where.
    await page.waitForURL((url) => Number(url.searchParams.get("view")?.split(",")[2]) < 0.9);

    await redrawn(page, () => page.getByRole("radio", { name: "Album" }).check());
    const legend = page.getByRole("list", { name: "Legend" });
    await legend.getByText(/Soundtrack 0/).waitFor();
    assert.equal(await legend.getByRole("listitem").count(), 3, "three warm albums on the CF map");
    await shot(page, `${name}-map-focused-legend`);
    const url = page.url();
    assert.match(url, /colour=album/);
    await page.reload();
    await page.waitForFunction('document.querySelector("canvas")?.dataset.selected === "1"');
    assert.equal(await page.getByRole("radio", { name: "Album" }).isChecked(), true);

    // Two clicks (taps on the phone) make a path; Escape clears it, and the URL with it.
    await page.getByRole("button", { name: "Reset" }).click();
    await page.waitForFunction('document.querySelector("canvas")?.dataset.selected === "0"');
    const box = (await page.locator("canvas").boundingBox())!;
    await page.waitForURL((url) => Math.abs(Number(url.searchParams.get("view")?.split(",")[2]) - fitDistance(box)) < 0.01);
    const [from, to] = [seed.warm[0]!, seed.warm[seed.warm.length - 1]!];
    const tap = async (track: number) => {
      const at = pointOnScreen(track, box);
      if (name === "phone") return page.touchscreen.tap(at.x, at.y);
      // As a hand would: enter the point from outside and wait for its name before clicking.
      await page.mouse.move(at.x - 20, at.y - 20);
      await page.mouse.move(at.x, at.y, { steps: 4 });
      await page.getByRole("tooltip").getByText(seed.tracks.find((t) => t.id === track)!.title).waitFor();
      // The label says what a hover preview plays (the seed's tracks are all one Ogg Vorbis tone).
      await page.getByRole("tooltip").getByText("Plays Vorbis", { exact: true }).waitFor();
      await page.mouse.click(at.x, at.y);
    };
    await tap(from);
    await page.getByRole("region", { name: "Sonic path" }).getByText("pick another track").waitFor();
    await tap(to);
    await page.getByRole("list", { name: "Path tracks" }).waitFor();
    await page.waitForURL((url) => url.searchParams.get("from") === String(from) && url.searchParams.get("to") === String(to));
    await page.reload();
    await page.getByRole("list", { name: "Path tracks" }).waitFor();
    await shot(page, `${name}-map-path`);
    await page.locator("h1").click();
    await page.keyboard.press("Escape");
    await page.getByRole("list", { name: "Path tracks" }).waitFor({ state: "detached" });
    await page.waitForURL((url) => !url.searchParams.has("from") && !url.searchParams.has("to"));
    assert.deepEqual(pageErrors, []);
  });

  test(`${name}: map: select mode, no Shift: a plain drag lassos (desktop), taps add points (phone)`, async () => {
    const page = await open(name);
    await page.goto(`${stack.webUrl}/map`);
    await page.waitForFunction('performance.getEntriesByName("map-drawn").length > 0');
    await page.getByRole("button", { name: "Select mode" }).click();
    assert.equal(await page.getByRole("button", { name: "Select mode" }).getAttribute("aria-pressed"), "true");
    const box = (await page.locator("canvas").boundingBox())!;
    const selection = page.getByRole("region", { name: "Selection" });
    if (name === "desktop") {
      // A plain drag, no Shift, around the whole layout.
      const m = 6;
      await page.mouse.move(box.x + m, box.y + m);
      await page.mouse.down();
      for (const [x, y] of [[box.width - m, m], [box.width - m, box.height - m], [m, box.height - m], [m, m + 1]] as const) {
        await page.mouse.move(box.x + x, box.y + y, { steps: 12 });
      }
      await page.mouse.up();
      await selection.getByRole("heading", { name: `Selection · ${seed.warm.length}` }).waitFor();
      await shot(page, `${name}-map-select-mode`);
      assert.deepEqual(pageErrors, []);
      return;
    }
    // On the phone, taps add single points (a finger's drag is replayed as the lasso; not driven here).
    let view: { x: number; y: number; z: number } | undefined;
    // Two album mates: the map zooms to what is selected, and the second stays in view.
    for (const track of [seed.warm[0]!, seed.warm[1]!]) {
      const at = pointOnScreen(track, box, view);
      await page.touchscreen.tap(at.x, at.y);
      await page.waitForURL((url) => url.searchParams.get("sel")?.split(",").includes(String(track)) === true);
      // The camera settles on the selection before the next tap is aimed.
      await page.waitForURL((url) => Number(url.searchParams.get("view")?.split(",")[2]) < fitDistance(box) * 0.9);
      // The threshold can be crossed mid-flight: aim only once the camera has stopped (the view unchanged for 0.5 s).
      for (let last = "", still = 0; still < 5; await page.waitForTimeout(100)) {
        const now = new URL(page.url()).searchParams.get("view") ?? "";
        still = now === last ? still + 1 : 0;
        last = now;
      }
      const [x, y, z] = new URL(page.url()).searchParams.get("view")!.split(",").map(Number);
      view = { x: x!, y: y!, z: z! };
    }
    await selection.getByRole("heading", { name: /^Selection · 2/ }).waitFor();
    await shot(page, `${name}-map-select-mode`);
    assert.deepEqual(pageErrors, []);
  });
}

async function signInAsEditor(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("API key").fill(seed.editorKey);
  await page.keyboard.press("Enter");
  await page.getByText(/^Editor$/).waitFor();
}

/** The API with the editor's key (harness.ts). */
const api = graphqlAs(() => stack, () => seed.editorKey);

type Entries = { playlist: { items: { id: number; track: { id: number; title: string; durationSec: number } }[] } };
const entriesOf = async (id: number) => (await api<Entries>(`query($id: Int!) { playlist(id: $id) { items { id track { id title durationSec } } } }`, { id })).playlist.items;

for (const name of ["desktop", "phone"] as const) {
  test(`${name}: similar rows: album and position, other albums only, a minimum length, + playlist that asks before a duplicate`, async () => {
    const page = await open(name);
    const track = seed.tracks[1]!;
    await page.goto(`${stack.webUrl}/tracks/${track.id}`);
    await signInAsEditor(page);
    const audio = page.getByRole("region", { name: "Similar by Audio" });
    await audio.getByRole("listitem").first().waitFor();
    assert.match(await audio.getByRole("listitem").first().innerText(), /Soundtrack \d #\d/, "rows name album and position");

    await page.getByLabel("Other albums only").check();
    await page.waitForURL((url) => url.searchParams.get("otherAlbums") === "1");
    await page.getByLabel("At least").fill("60");
    await page.getByLabel("At least").press("Tab");
    await page.waitForURL((url) => url.searchParams.get("minSec") === "60");
    const expected = await api<{ track: { similar: { track: { title: string; album: { title: string } } }[] } }>(
      `query($id: Int!) { track(id: $id) { similar(k: 10, space: AUDIO, excludeSameAlbum: true, minDurationSec: 60) { track { title album { title } } } } }`,
      { id: track.id },
    );
    const rows = expected.track.similar.slice(1);
    assert.ok(rows.length > 0 && rows.every((r) => r.track.album.title !== track.album), "the API's answer leaves the album out");
    await page.waitForFunction(`document.querySelectorAll('[aria-label="Similar by Audio"] li').length === ${rows.length}`);
    assert.deepEqual(await audio.getByRole("listitem").getByRole("link").allInnerTexts(), rows.map((r) => r.track.title));
    await shot(page, `${name}-similar-options`);

    const first = rows[0]!.track.title;
    const created = `Similar pick ${name}`;
    await audio.getByRole("button", { name: `Add ${first} to a playlist` }).click();
    const picker = audio.getByRole("group", { name: `Add ${first} to a playlist` });
    await picker.getByLabel("Playlist", { exact: true }).selectOption({ label: "New playlist…" });
    await picker.getByLabel("New playlist name").fill(created);
    await picker.getByRole("button", { name: "Add", exact: true }).click();
    await audio.getByRole("status").getByRole("link", { name: created }).waitFor();
    // Again into the same playlist: the picker asks first, and nothing is added until "Add again".
    await audio.getByRole("button", { name: `Add ${first} to a playlist` }).click();
    await picker.getByLabel("Playlist", { exact: true }).selectOption({ label: `${created} (1)` });
    await picker.getByRole("button", { name: "Add", exact: true }).click();
    await picker.getByRole("alert").getByText(`“${first}” is already in ${created}.`).waitFor();
    await shot(page, `${name}-similar-duplicate`);
    const lists = await api<{ playlists: { edges: { node: { id: number; name: string; itemCount: number } }[] } }>(`{ playlists(first: 200) { edges { node { id name itemCount } } } }`);
    const playlist = lists.playlists.edges.map((e) => e.node).find((p) => p.name === created)!;
    assert.equal(playlist.itemCount, 1, "the duplicate was not added silently");
    await picker.getByRole("button", { name: "Add again" }).click();
    await audio.getByRole("status").waitFor();
    assert.equal((await entriesOf(playlist.id)).length, 2);
    assert.deepEqual(pageErrors, []);
  });

  test(`${name}: playlist editor: visible move buttons, remove with undo, total runtime, play all`, async () => {
    const page = await open(name);
    const trackIds = seed.warm.slice(0, 4);
    const made = await api<{ generatePlaylist: { id: number } }>(`mutation($ids: [Int!]!, $name: String!) { generatePlaylist(input: { name: $name, trackIds: $ids }) { id } }`, {
      ids: trackIds,
      name: `Editor ${name}`,
    });
    const id = made.generatePlaylist.id;
    await page.goto(`${stack.webUrl}/playlists?id=${id}`);
    await signInAsEditor(page);
    const list = page.getByRole("list", { name: "Playlist tracks" });
    await list.getByRole("listitem").first().waitFor();
    const entries = await entriesOf(id);
    const runtime = entries.reduce((sum, e) => sum + e.track.durationSec, 0);
    const mmss = `${Math.floor(Math.round(runtime) / 60)}:${String(Math.round(runtime) % 60).padStart(2, "0")}`;
    assert.equal(await page.getByLabel("Total runtime").innerText(), mmss);

    const second = entries[1]!.track.title;
    const down = page.getByRole("button", { name: `Move ${second} down` });
    assert.ok(await down.isVisible(), "the move buttons are on screen, not only in a label");
    await down.click();
    await waitForOrder(id, [entries[0]!, entries[2]!, entries[1]!, entries[3]!].map((e) => e.track.id));
    await page.getByRole("button", { name: `Move ${second} up` }).click();
    await waitForOrder(id, entries.map((e) => e.track.id));

    await page.getByRole("button", { name: `Remove ${second}` }).click();
    await waitForOrder(id, [entries[0]!, entries[2]!, entries[3]!].map((e) => e.track.id));
    const undo = page.getByRole("status").filter({ hasText: `Removed “${second}” from position 2.` });
    await undo.waitFor();
    await shot(page, `${name}-playlist-undo`);
    await undo.getByRole("button", { name: "Undo" }).click();
    await waitForOrder(id, entries.map((e) => e.track.id));
    await list.getByRole("listitem").nth(1).getByText(second).waitFor();

    await page.getByRole("button", { name: "▶ Play all" }).click();
    await page.getByRole("group", { name: "Play the playlist" }).getByRole("status").getByText(`1/4: ${entries[0]!.track.title}`).waitFor();
    await page.waitForFunction('document.querySelector("audio[aria-label=\'Playlist player\']").readyState >= 2', undefined, { timeout: 15_000 });
    // The end of one entry starts the next.
    await page.evaluate('document.querySelector("audio[aria-label=\'Playlist player\']").dispatchEvent(new Event("ended"))');
    await page.getByRole("group", { name: "Play the playlist" }).getByRole("status").getByText(`2/4: ${second}`).waitFor();
    await shot(page, `${name}-playlist-editor`);
    await assertNoSidewaysScroll(page, "the playlist editor");
    assert.deepEqual(pageErrors, []);
  });
}

async function waitForOrder(id: number, trackIds: number[]): Promise<void> {
  for (let i = 0; ; i++) {
    const now = (await entriesOf(id)).map((e) => e.track.id);
    if (JSON.stringify(now) === JSON.stringify(trackIds)) return;
    if (i > 100) assert.deepEqual(now, trackIds);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const name of ["desktop", "phone"] as const) {
  test(`${name}: filters: all 64 first-layer filters reachable by page, the page in the URL, a track page's filter link lands on its card`, async () => {
    const page = await open(name);
    await page.goto(`${stack.webUrl}/filters`);
    await page.getByText("1–48 of 64 filters").waitFor();
    assert.equal(await page.getByRole("article").count(), 48);
    await page.getByRole("navigation", { name: "Filter pages" }).first().getByRole("button", { name: "Page 2" }).click();
    await page.getByText("49–64 of 64 filters").waitFor();
    assert.deepEqual(await page.getByRole("article").evaluateAll((cards) => cards.map((c) => (c as { getAttribute(n: string): string | null }).getAttribute("aria-label"))), Array.from({ length: 16 }, (_, i) => `Filter ${48 + i}`));
    await page.waitForURL((url) => url.searchParams.get("page") === "2");
    await page.reload();
    await page.getByText("49–64 of 64 filters").waitFor();
    await shot(page, `${name}-filters-page-2`);
    await assertNoSidewaysScroll(page, "filters page 2");

    await page.goto(`${stack.webUrl}/tracks/${seed.tracks[0]!.id}`);
    const link = page.getByRole("region", { name: "Top first-layer filters" }).getByRole("link").first();
    const href = (await link.getAttribute("href"))!;
    await link.click();
    await page.waitForURL((url) => url.pathname === "/filters");
    const card = page.locator(`#${href.split("#")[1]}`);
    await card.waitFor();
    // The card is scrolled into view once its page has loaded (its top may sit a sub-pixel above 0 at 2× density).
    await page.waitForFunction(`(() => { const box = document.getElementById(${JSON.stringify(href.split("#")[1])})?.getBoundingClientRect(); return box !== undefined && box.top >= -1 && box.top < window.innerHeight; })()`);
    assert.deepEqual(pageErrors, []);
  });
}
