// The workbench pages driven in Chromium over one seeded database: each test clicks and types as an editor or an
// analyst would, screenshots the page, and checks what changed through the API.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { freshDb, type TestDb } from "../support/db.js";
import { tempIndexDir } from "../support/indexed-api.js";
import { launchChromium, repoRoot, startStack, type Stack, graphqlAs } from "./harness.js";
import { seedWorkbench, type Workbench } from "./workbench-seed.js";

const screenshots = join(repoRoot, "test-output", "screenshots");

let testDb: TestDb;
let indexDir: ReturnType<typeof tempIndexDir>;
let seed: Workbench;
let stack: Stack;
let browser: Browser;
let page: Page;
/** Requests the pages made anywhere but the web server: fonts, scripts and data must all come from it. */
const offsite: string[] = [];

before(async () => {
  testDb = await freshDb();
  seed = await seedWorkbench(testDb.db);
  indexDir = tempIndexDir();
  stack = await startStack({ env: { DATABASE_URL: testDb.url, INDEX_DIR: indexDir.dir } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  // A script error in the page shows in the test output, next to the step that then times out.
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") console.error(`page console: ${message.text()} ${message.location().url}`);
  });
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(`${stack.webUrl}/`) && !/^(data|blob):/.test(url)) offsite.push(url);
  });
  mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  await testDb?.close();
  indexDir?.remove();
  seed?.removeMedia();
});

/** The API with the editor's key (harness.ts). */
const api = graphqlAs(() => stack, () => seed.editorKey);

const asEditor = () => signIn(seed.editorKey, /^Editor$/);

async function signIn(key: string, expected: RegExp): Promise<void> {
  // The header shows "Sign out" only once hydrated, so whether a session is stored is read from the browser;
  // "Sign in" stays disabled until hydration, and click() waits for it to be enabled.
  if (await page.evaluate<string | null>("localStorage.getItem('curator.session.v2')")) await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("API key").fill(key);
  await page.keyboard.press("Enter");
  await page.getByText(expected).waitFor();
}

const shot = (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`) });

test("every page renders on the server: a direct load or a reload answers 200", async () => {
  // The browser recovers from a failed server render by rendering on the client, so the pages' own tests can pass
  // over a 500; this asks the server for each page as a first visit would.
  const paths = ["/", `/tracks/${seed.tracks[0]!.id}`, "/filters", "/map", "/review", "/playlists", "/jobs", "/evaluations"];
  for (const path of paths) {
    const res = await fetch(`${stack.webUrl}${path}`);
    assert.equal(res.status, 200, `GET ${path}`);
  }
});

test("track page: facts, flags, and neighbours in CF, audio and hybrid space side by side", async () => {
  const track = seed.tracks[0]!;
  await page.goto(`${stack.webUrl}/tracks/${track.id}`);
  await page.getByRole("heading", { name: track.title }).waitFor();
  for (const label of ["Listeners (CF)", "Audio", "Hybrid"]) {
    assert.equal(await page.getByRole("region", { name: `Similar by ${label}` }).getByRole("listitem").count(), 10, label);
  }
  const expected = await api<{ track: { similar: { track: { title: string } }[] } }>(`query($id: Int!) { track(id: $id) { similar(k: 10, space: AUDIO) { track { title } } } }`, { id: track.id });
  const audio = await page.getByRole("region", { name: "Similar by Audio" }).getByRole("link").allInnerTexts();
  assert.deepEqual(audio, expected.track.similar.slice(1).map((s) => s.track.title));
  assert.match(await page.locator("main").innerText(), /intro/i);
  assert.equal(await page.getByRole("button", { name: /Confirm/ }).count(), 0, "anonymous visitors see no verdict buttons");
  await shot("track");

  await page.getByRole("region", { name: "Similar by Listeners (CF)" }).getByRole("link").first().click();
  await page.waitForURL((url) => /\/tracks\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${track.id}`));
});

test("track page: the audio plays, the analysed excerpt is marked, spectrogram, top filters, why similar on expand", async () => {
  const track = seed.tracks[0]!;
  assert.equal(track.id, seed.withSpectrogram);
  await page.goto(`${stack.webUrl}/tracks/${track.id}`);
  const audio = page.locator("audio");
  await audio.waitFor();
  // canplay fires before hydration can attach a listener, so readyState is polled rather than the event awaited.
  await page.waitForFunction('document.querySelector("audio").readyState >= 3', undefined, { timeout: 15_000 });
  assert.equal(await audio.getAttribute("preload"), "metadata");
  assert.match(await page.getByRole("img", { name: /^Analysed excerpt 0:00–0:20 of 0:20$/ }).getAttribute("aria-label") ?? "", /excerpt/);
  await page.getByRole("button", { name: "Play the analysed excerpt" }).click();
  await page.waitForFunction('document.querySelector("audio").played.length > 0');

  await page.getByRole("img", { name: /Log-mel spectrogram/ }).waitFor();
  await page.waitForFunction(`document.querySelector("img[alt^='Log-mel']").complete`);
  assert.equal(await page.evaluate(`document.querySelector("img[alt^='Log-mel']").naturalWidth`), 300, "the picture decoded");

  const filters = page.getByRole("region", { name: "Top first-layer filters" }).getByRole("link");
  assert.equal(await filters.count(), 5);
  assert.match((await filters.first().getAttribute("href")) ?? "", /^\/filters\?layer=conv1&page=1#filter-\d+$/);

  const audioColumn = page.getByRole("region", { name: "Similar by Audio" });
  const neighbour = (await audioColumn.getByRole("link").first().getAttribute("href"))!.split("/").pop()!;
  await audioColumn.getByText("why", { exact: true }).first().click();
  const units = audioColumn.getByRole("list", { name: "Shared dense units" });
  await units.waitFor();
  const expected = await api<{ track: { whySimilar: { name: string; share: number }[] } }>(`query($id: Int!, $to: Int!) { track(id: $id) { whySimilar(to: $to, top: 3) { name share } } }`, { id: track.id, to: Number(neighbour) });
  assert.ok(expected.track.whySimilar.length > 0);
  assert.deepEqual(
    await units.getByRole("listitem").allInnerTexts(),
    expected.track.whySimilar.map((u) => `${u.name} ${Math.round(u.share * 100)}%`),
  );
  await shot("track-media");

  const other = seed.tracks[1]!;
  await page.goto(`${stack.webUrl}/tracks/${other.id}`);
  await page.getByRole("heading", { name: other.title }).waitFor();
  assert.equal(await page.getByRole("img", { name: /Log-mel spectrogram/ }).count(), 0, "no picture before `curator features`");
});

test("viewer query: null when anonymous, the key's name and role otherwise", async () => {
  const ask = async (key?: string) => {
    const res = await fetch(`${stack.apiUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query: "{ viewer { name role } }" }),
    });
    return ((await res.json()) as { data: { viewer: { name: string; role: string } | null } }).data.viewer;
  };
  assert.equal(await ask(), null);
  assert.deepEqual(await ask(seed.analystKey), { name: "e2e-analyst", role: "ANALYST" });
  assert.deepEqual(await ask(seed.editorKey), { name: "e2e-editor", role: "EDITOR" });
});

test("sign-in: an analyst's key shows no editing controls, an editor's does", async () => {
  await page.goto(`${stack.webUrl}/tracks/${seed.tracks[0]!.id}`);
  await signIn(seed.analystKey, /Analyst/);
  assert.equal(await page.getByRole("button", { name: /Confirm/ }).count(), 0);
  const stored = JSON.parse(String(await page.evaluate("localStorage.getItem('curator.session.v2')"))) as { key: string; name: string; role: string };
  assert.deepEqual(stored, { key: seed.analystKey, name: "e2e-analyst", role: "ANALYST" }, "the role comes from the viewer query");
  await signIn(seed.editorKey, /^Editor$/);
  await page.getByRole("button", { name: "Confirm intro flag" }).waitFor();

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("API key").fill("cur_not-a-key");
  await page.keyboard.press("Enter");
  assert.match(await page.locator("header").getByRole("alert").innerText(), /unknown or revoked/);
  await shot("sign-in");
  await page.getByLabel("API key").fill(seed.editorKey);
  await page.keyboard.press("Enter");
  await page.getByText(/^Editor$/).waitFor();
});

test("review: recommendations with cold badges, confirm a flag inline, hide flagged", async () => {
  const userId = seed.userIds[0]!;
  type Recs = { user: { recommendations: { cold: boolean; track: { id: number; title: string } }[] } };
  const ranked = await api<Recs>(`query($id: Int!) { user(id: $id) { recommendations(k: 20) { cold track { id title } } } }`, { id: userId });
  // Flag the top recommendation so the review has a flag to judge in the list.
  const top = ranked.user.recommendations[0]!.track;
  const flag = await testDb.db.outlierFlag.upsert({
    where: { trackId_kind: { trackId: top.id, kind: "COVER" } },
    create: { trackId: top.id, kind: "COVER", score: 1.7, reason: "near-duplicate of another track's audio" },
    update: {},
  });

  await page.goto(`${stack.webUrl}/review`);
  await asEditor();
  // The listener picker: a name nobody has is answered, not ignored; an id and Enter picks that listener.
  await page.getByLabel("Listener", { exact: true }).fill("abc");
  await page.getByText("No listener matches “abc”.").waitFor();
  await page.getByLabel("Listener", { exact: true }).fill(String(userId));
  await page.keyboard.press("Enter");
  await page.waitForURL(new RegExp(`\\?user=${userId}$`));
  const recommended = page.getByRole("region", { name: "Recommended" });
  const coldOnly = page.getByRole("region", { name: "New from audio (cold only)" });
  await recommended.getByRole("listitem").first().waitFor();
  assert.deepEqual(await recommended.locator(":scope > ol > li > div:first-child > a").allInnerTexts(), ranked.user.recommendations.map((r) => r.track.title));
  const coldCount = ranked.user.recommendations.filter((r) => r.cold).length;
  assert.equal(await recommended.getByText("cold", { exact: true }).count(), coldCount);
  assert.equal(await coldOnly.getByText("cold", { exact: true }).count(), seed.cold.length, "every track of the cold list is badged");
  // Which model scores the cold tracks, in plain words (the seeded set records no run comparison, and says so).
  assert.match(await page.getByTestId("audio-model-note").innerText(), /Cold tracks are scored by the convnet.*unknown/);
  await shot("review");
  // The discovery dial at 0: the same list without its cold tracks, refilled to 20 from the warm ones.
  if (coldCount > 0) {
    const warmOnly = await api<Recs>(`query($id: Int!) { user(id: $id) { recommendations(k: 20, maxCold: 0) { cold track { id title } } } }`, { id: userId });
    await page.getByRole("slider").fill("0");
    await page.getByText("Cold tracks at most: 0").waitFor();
    await recommended.getByText("cold", { exact: true }).first().waitFor({ state: "detached" });
    assert.deepEqual(await recommended.locator(":scope > ol > li > div:first-child > a").allInnerTexts(), warmOnly.user.recommendations.map((r) => r.track.title));
    await page.getByRole("slider").fill("20");
    await recommended.getByText("cold", { exact: true }).first().waitFor();
  }

  await recommended.locator(`li[data-track-id="${top.id}"]`).getByRole("button", { name: "Confirm cover flag" }).click();
  await recommended.locator(`li[data-track-id="${top.id}"]`).getByText("confirmed").waitFor();
  const stored = await api<{ flags: { edges: { node: { id: number; status: string; verdictBy: string } }[] } }>(`{ flags(first: 100, kind: COVER) { edges { node { id status verdictBy } } } }`);
  assert.deepEqual(stored.flags.edges.map((e) => e.node), [{ id: flag.id, status: "CONFIRMED", verdictBy: "e2e-editor" }]);

  await page.getByLabel("Hide flagged").check();
  await recommended.locator(`li[data-track-id="${top.id}"]`).waitFor({ state: "detached" });
  assert.match(await recommended.getByRole("heading").innerText(), /flagged hidden/);
});

/** Where regl-scatterplot draws a map coordinate: the layout is scaled into [-1, 1] by its longer side (plus 5%), and the default camera maps the canvas height onto [-1, 1]. */
function screenPoint(id: number, box: { x: number; y: number; width: number; height: number }): { x: number; y: number } {
  const xs = [...seed.cfMap.values()].map((p) => p.x);
  const ys = [...seed.cfMap.values()].map((p) => p.y);
  const half = (Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) / 2) * 1.05;
  const p = seed.cfMap.get(id)!;
  const nx = (p.x - (Math.min(...xs) + Math.max(...xs)) / 2) / half;
  const ny = (p.y - (Math.min(...ys) + Math.max(...ys)) / 2) / half;
  return { x: box.x + box.width / 2 + (nx * box.height) / 2, y: box.y + box.height / 2 - (ny * box.height) / 2 };
}

const titleOf = (id: number) => seed.tracks.find((t) => t.id === id)!.title;

/** Points at a track on the map, entering its point from outside as a hand would, until the hover label names it. */
async function hoverTrack(id: number, box: { x: number; y: number; width: number; height: number }): Promise<{ x: number; y: number }> {
  const at = screenPoint(id, box);
  await page.mouse.move(at.x - 20, at.y - 20);
  await page.mouse.move(at.x, at.y, { steps: 4 });
  await page.getByRole("tooltip").getByText(titleOf(id)).waitFor();
  return at;
}

let mapPlaylistId: number;

test("map: WebGL points, hover title, two clicks draw a sonic path, a lasso becomes a playlist", async () => {
  await page.goto(`${stack.webUrl}/map`);
  await asEditor();
  await page.waitForFunction('performance.getEntriesByName("map-drawn").length > 0');
  assert.equal(await page.locator("[data-points]").getAttribute("data-points"), String(seed.warm.length));
  const box = (await page.locator("canvas").boundingBox())!;

  const [from, to] = [seed.warm[0]!, seed.warm[seed.warm.length - 1]!];
  const a = await hoverTrack(from, box);
  await page.mouse.click(a.x, a.y);
  // As a user would, the second click waits until the first shows as the path's start and the pointer's track is
  // named (under load the page can still be handling the first when a script's second click arrives).
  const sonicPath = page.getByRole("region", { name: "Sonic path" });
  await sonicPath.getByText("pick another track").waitFor();
  const b = await hoverTrack(to, box);
  await page.mouse.click(b.x, b.y);
  const pathList = page.getByRole("list", { name: "Path tracks" });
  // One loaded CI run timed out here; what the panel showed then says whether the click or the query went wrong.
  await pathList.waitFor().catch(async (error: unknown) => {
    throw new Error(`no path listed after the second click; the panel read ${JSON.stringify(await sonicPath.innerText())}`, { cause: error });
  });
  const path = await api<{ sonicPath: { track: { title: string } }[] }>(`query($f: Int!, $t: Int!) { sonicPath(from: $f, to: $t, length: 10, space: CF) { track { title } } }`, { f: from, t: to });
  assert.deepEqual(await pathList.getByRole("link").allInnerTexts(), path.sonicPath.map((s) => s.track.title));
  await shot("map");

  // Shift-drag a lasso around the whole layout.
  await page.keyboard.down("Shift");
  const m = 6;
  await page.mouse.move(box.x + m, box.y + m);
  await page.mouse.down();
  for (const [x, y] of [[box.width - m, m], [box.width - m, box.height - m], [m, box.height - m], [m, m + 1]] as const) {
    await page.mouse.move(box.x + x, box.y + y, { steps: 12 });
  }
  await page.mouse.up();
  await page.keyboard.up("Shift");
  const selection = page.getByRole("region", { name: "Selection" });
  await selection.getByRole("heading", { name: `Selection · ${seed.warm.length}` }).waitFor();
  await selection.getByLabel("Playlist name").fill("Map pick");
  await selection.getByRole("button", { name: "Create playlist" }).click();
  await selection.getByRole("status").waitFor();
  await shot("map-lasso");
  const playlists = await api<{ playlists: { edges: { node: { id: number; name: string; itemCount: number; source: string } }[] } }>(`{ playlists { edges { node { id name itemCount source } } } }`);
  const created = playlists.playlists.edges.map((e) => e.node).find((p) => p.name === "Map pick");
  assert.ok(created);
  assert.equal(created.itemCount, seed.warm.length);
  mapPlaylistId = created.id;
});

test("map: colour by album, cold start, artist, and flagged with a legend; hover previews once enabled", async () => {
  await page.goto(`${stack.webUrl}/map`);
  await page.waitForFunction('performance.getEntriesByName("map-drawn").length > 0');
  const flagged = await api<{ tracks: { totalCount: number; edges: { node: { id: number } }[] } }>(`{ tracks(filter: { flagged: true }, first: 500) { totalCount edges { node { id } } } }`);
  const onMap = flagged.tracks.edges.filter((e) => seed.cfMap.has(e.node.id)).length;
  assert.ok(flagged.tracks.totalCount > onMap && onMap > 0, "the seed flags warm and cold tracks alike");

  // Each colouring redraws the points with its own palette.
  for (const [label, by] of [["Album", "album"], ["Cold start", "cold"], ["Artist", "artist"]] as const) {
    const before = await page.evaluate<number>('performance.getEntriesByName("map-drawn").length');
    await page.getByRole("radio", { name: label }).check();
    await page.waitForFunction(`performance.getEntriesByName("map-drawn").length > ${before}`);
    assert.equal(await page.locator("[data-colour-by]").getAttribute("data-colour-by"), by);
  }
  const drawn = await page.evaluate<number>('performance.getEntriesByName("map-drawn").length');
  await page.getByRole("radio", { name: "Flagged" }).check();
  // One redraw greys every point, the next colours the flagged ones once their ids arrive.
  await page.waitForFunction(`performance.getEntriesByName("map-drawn").length >= ${drawn + 2}`);
  const legend = page.getByLabel("Legend");
  await legend.waitFor();
  assert.equal((await legend.innerText()).replace(/\s+/g, " ").trim(), `${onMap} of ${flagged.tracks.totalCount} flagged tracks on this map not flagged`);
  assert.equal(await page.locator("[data-colour-by]").getAttribute("data-colour-by"), "flagged");
  assert.equal(await page.evaluate('getComputedStyle(document.querySelector("[data-swatch=flagged]")).backgroundColor'), "rgb(225, 87, 89)");
  assert.equal(await page.evaluate('getComputedStyle(document.querySelector("[data-swatch=other]")).backgroundColor'), "rgb(200, 200, 200)");
  await shot("map-flagged");

  await page.getByLabel("Enable hover previews").check();
  const id = seed.warm[0]!;
  const box = (await page.locator("canvas").boundingBox())!;
  await hoverTrack(id, box);
  await page.waitForFunction(`document.querySelector("audio[aria-label='Track preview']").src.includes("/media/audio/${id}.ogg#t=")`);
  await page.waitForFunction('document.querySelector("audio[aria-label=\'Track preview\']").readyState >= 3', undefined, { timeout: 15_000 });
  await page.waitForFunction('!document.querySelector("audio[aria-label=\'Track preview\']").paused');
  await page.mouse.move(box.x + 2, box.y + 2, { steps: 4 });
  await page.waitForFunction('document.querySelector("audio[aria-label=\'Track preview\']").paused');
});

test("playlists: create, rename, reorder by drag and keyboard, remove, export M3U and XSPF", async () => {
  type Items = { playlist: { name: string; items: { id: number; track: { title: string } }[] } };
  const order = async () => (await api<Items>(`query($id: Int!) { playlist(id: $id) { name items { id track { title } } } }`, { id: mapPlaylistId })).playlist;

  await page.goto(`${stack.webUrl}/playlists`);
  await asEditor();
  await page.getByLabel("New playlist name").fill("Road trip");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await page.waitForURL(/\?id=\d+$/);
  const all = await api<{ playlists: { edges: { node: { name: string } }[] } }>(`{ playlists { edges { node { name } } } }`);
  assert.ok(all.playlists.edges.some((e) => e.node.name === "Road trip"));

  await page.getByRole("link", { name: "Map pick" }).click();
  const items = page.getByRole("list", { name: "Playlist tracks" }).getByRole("listitem");
  await items.first().waitFor();
  await page.getByRole("button", { name: "Rename" }).click();
  await page.getByLabel("Playlist name", { exact: true }).fill("Evening mix");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: /Evening mix/ }).waitFor();
  assert.equal((await order()).name, "Evening mix");

  const before = (await order()).items;
  await items.nth(0).dragTo(items.nth(2));
  const dragged = await waitForOrder(order, (now) => now[2]?.id === before[0]!.id);
  assert.deepEqual(dragged.map((i) => i.id), [before[1]!.id, before[2]!.id, before[0]!.id, ...before.slice(3).map((i) => i.id)]);

  await items.nth(0).focus();
  await page.keyboard.press("Alt+ArrowDown");
  const moved = await waitForOrder(order, (now) => now[1]?.id === dragged[0]!.id);
  assert.equal(moved[0]!.id, dragged[1]!.id);
  await page.keyboard.press("Delete");
  const removed = await waitForOrder(order, (now) => now.length === before.length - 1);
  assert.ok(!removed.some((i) => i.id === dragged[0]!.id), "the focused (moved) entry was removed");
  await shot("playlists");

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export M3U" }).click();
  const file = await (await download).path();
  const text = readFileSync(file, "utf8");
  assert.match(text, /^#EXTM3U/);
  assert.equal((text.match(/\/media\/audio\/\d+/g) ?? []).length, before.length - 1);

  const xspfDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export XSPF" }).click();
  const xspf = readFileSync(await (await xspfDownload).path(), "utf8");
  assert.match(xspf, /<playlist[^>]*xmlns="http:\/\/xspf\.org\/ns\/0\/"/);
  assert.equal((xspf.match(/<track>/g) ?? []).length, before.length - 1);
});

async function waitForOrder<T extends { id: number }>(read: () => Promise<{ items: T[] }>, done: (items: T[]) => boolean): Promise<T[]> {
  for (let i = 0; i < 50; i++) {
    const { items } = await read();
    if (done(items)) return items;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the playlist never reached the expected order");
}

test("filters: top tracks by max and mean, a playlist of a filter's top tracks, rename a filter", async () => {
  await page.goto(`${stack.webUrl}/filters`);
  await asEditor();
  const first = page.getByRole("article", { name: "Filter 0" });
  await first.getByRole("link").first().waitFor();
  assert.equal(await page.getByRole("article").count(), 6);
  await page.waitForFunction(`document.querySelector("img[alt^='Weights of filter 0']")?.complete`);
  assert.equal(await page.evaluate(`document.querySelector("img[alt^='Weights of filter 0']").naturalWidth`), 8, "the weight picture decoded");
  assert.ok((await first.getByRole("link").allInnerTexts()).every((t) => t.startsWith("Theme 0.")), "MAX ranks the filter's own album");
  const firstTitle = (await first.getByRole("link").first().innerText()).trim();
  await first.getByRole("button", { name: `Play ${firstTitle}`, exact: true }).click();
  await page.waitForFunction('document.querySelector("audio[aria-label=\'Track preview\']").readyState >= 3', undefined, { timeout: 15_000 });
  await page.waitForFunction('document.querySelector("audio[aria-label=\'Track preview\']").played.length > 0');
  assert.equal(await page.locator("audio").count(), 1, "one player shared by every card");

  await page.getByRole("button", { name: "by mean" }).click();
  await first.getByRole("link", { name: /^Theme 1\./ }).first().waitFor();
  assert.ok((await first.getByRole("link").allInnerTexts()).every((t) => t.startsWith("Theme 1.")), "MEAN ranks the next album's tracks");
  await keepEveryTrack(first);
  await first.getByRole("button", { name: "Playlist of its top tracks" }).click();
  const created = first.getByRole("status").getByRole("link");
  await created.waitFor();
  const fromFilter = await api<Generated>(`query($id: Int!) { playlist(id: $id) { name source items { track { id } } } }`, { id: Number((await created.getAttribute("href"))!.split("=").pop()) });
  const ranked = await api<{ filters: { edges: { node: { topTracks: { track: { id: number } }[] } }[] } }>(`{ filters(layer: CONV1, first: 1) { edges { node { topTracks(first: 30, mode: MEAN) { track { id } } } } } }`);
  assert.deepEqual(fromFilter.playlist.items.map((i) => i.track.id), ranked.filters.edges[0]!.node.topTracks.map((t) => t.track.id), "the filter's MEAN ranking, in order");

  await first.getByLabel("Name of filter 0").fill("chiptune");
  await page.keyboard.press("Enter");
  const named = await waitFor(async () => (await api<{ filters: { edges: { node: { index: number; name: string | null } }[] } }>(`{ filters(layer: CONV1) { edges { node { index name } } } }`)).filters.edges[0]!.node.name);
  assert.equal(named, "chiptune");
  await page.getByRole("button", { name: "Dense units" }).click();
  await page.getByRole("article", { name: "Filter 2" }).waitFor();
  await page.getByRole("button", { name: "First convolution" }).click();
  await page.getByRole("article", { name: "Filter 0" }).getByRole("link").first().waitFor();
  await shot("filters");
});

async function waitFor<T>(read: () => Promise<T | null>): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const value = await read();
    if (value !== null) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out");
}

test("jobs page plots the training loss; evaluations page charts ALS, the cold-start table and the outlier scores", async () => {
  await page.goto(`${stack.webUrl}/jobs`);
  await page.locator("figure canvas").first().waitFor();
  assert.match(await page.getByRole("img").getAttribute("aria-label") ?? "", /12 epochs, last validation loss 0\.\d{4}, validation AUC 0\.820/);
  assert.match(await page.locator("figure .u-legend").innerText(), /validation AUC/);
  await shot("jobs-loss");

  await page.goto(`${stack.webUrl}/evaluations`);
  const als = page.getByRole("region", { name: "Evaluation als" });
  assert.match(await als.getByRole("figure").filter({ hasText: "AUC" }).innerText(), /ALS CG/);
  assert.equal(await als.getByRole("figure").count(), 4);
  const coldstart = page.getByRole("region", { name: "Evaluation coldstart" });
  assert.deepEqual(await coldstart.locator("figcaption").allInnerTexts(), ["mAP@500", "AUC"]);
  assert.match(await coldstart.getByRole("figure").filter({ hasText: "AUC" }).innerText(), /convnet middle 30 s\s+0\.710/);
  await coldstart.getByText("Table as printed").click();
  assert.match(await coldstart.locator("pre").innerText(), /NIPS 2013 Table 1/);
  const outliers = page.getByRole("region", { name: "Evaluation outliers" });
  assert.deepEqual(await outliers.locator("figcaption").allInnerTexts(), ["precision", "recall", "f1"]);
  assert.match(await outliers.getByRole("figure").filter({ hasText: "f1" }).innerText(), /INTRO classifier\s+0\.690/);
  assert.match(await outliers.innerText(), /top10 outlier share after\s+0\.03/);
  await shot("evaluations");
  await coldstart.screenshot({ path: join(screenshots, "evaluations-coldstart.png") });
  await outliers.screenshot({ path: join(screenshots, "evaluations-outliers.png") });
});

test("an analyst sees playlists and filters without editing controls", async () => {
  await page.goto(`${stack.webUrl}/playlists?id=${mapPlaylistId}`);
  await signIn(seed.analystKey, /Analyst/);
  await page.getByRole("list", { name: "Playlist tracks" }).getByRole("listitem").first().waitFor();
  assert.equal(await page.getByLabel("New playlist name").count(), 0);
  assert.equal(await page.getByRole("region", { name: "Generate a playlist" }).count(), 0);
  assert.equal(await page.getByRole("button", { name: "Rename" }).count(), 0);
  assert.equal(await page.getByRole("button", { name: /Remove/ }).count(), 0);
  assert.equal(await page.getByRole("button", { name: "Export M3U" }).count(), 1);
  await page.goto(`${stack.webUrl}/filters`);
  await page.getByRole("article", { name: "Filter 0" }).getByText("chiptune").waitFor();
  assert.equal(await page.getByLabel("Name of filter 0").count(), 0);
});

test("add to playlist: hidden from analysts; an editor adds from the track page and from a review row", async () => {
  type Lists = { playlists: { edges: { node: { id: number; name: string; items: { track: { id: number } }[] } }[] } };
  const picked = async () => (await api<Lists>(`{ playlists(first: 50) { edges { node { id name items(first: 10) { track { id } } } } } }`)).playlists.edges.map((e) => e.node).find((p) => p.name === "Picked by ear");
  const track = seed.tracks[1]!;
  await page.goto(`${stack.webUrl}/tracks/${track.id}`);
  await page.getByRole("heading", { name: track.title }).waitFor();
  assert.equal(await page.getByRole("button", { name: /to a playlist$/ }).count(), 0, "the analyst of the previous test sees no picker");
  assert.equal(await page.getByRole("link", { name: "Playlist from this track" }).count(), 0);

  await asEditor();
  await page.getByRole("button", { name: `Add ${track.title} to a playlist` }).click();
  const picker = page.getByRole("group", { name: `Add ${track.title} to a playlist` });
  await picker.getByLabel("Playlist", { exact: true }).selectOption({ label: "New playlist…" });
  await picker.getByLabel("New playlist name").fill("Picked by ear");
  await picker.getByRole("button", { name: "Add", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "Picked by ear" }).waitFor();
  const created = (await picked())!;
  assert.deepEqual(created.items.map((i) => i.track.id), [track.id]);

  await page.goto(`${stack.webUrl}/review`);
  await page.getByLabel("Listener", { exact: true }).fill(String(seed.userIds[0]!));
  await page.keyboard.press("Enter");
  const row = page.getByRole("region", { name: "Recommended" }).locator(":scope > ol > li").first();
  await row.waitFor();
  const rowTrack = Number(await row.getAttribute("data-track-id"));
  await row.getByRole("button", { name: /to a playlist$/ }).click();
  await row.getByLabel("Playlist", { exact: true }).selectOption(String(created.id));
  await row.getByRole("button", { name: "Add", exact: true }).click();
  await row.getByRole("status").waitFor();
  assert.deepEqual((await picked())!.items.map((i) => i.track.id), [track.id, rowTrack]);
  await shot("add-to-playlist");
});

type Generated = { playlist: { name: string; source: string; items: { track: { id: number } }[] } };

/** The playlist the page opened after generating one (?id=), as the API stores it. */
async function openedPlaylist(): Promise<{ id: number } & Generated["playlist"]> {
  await page.waitForURL(/\/playlists\?id=\d+$/);
  const id = Number(new URL(page.url()).searchParams.get("id"));
  const { playlist } = await api<Generated>(`query($id: Int!) { playlist(id: $id) { name source items(first: 500) { track { id } } } }`, { id });
  return { id, ...playlist };
}

const startsWithTitle = (id: number) => new RegExp(`^${titleOf(id).replace(".", "\\.")} `);

/** Types into a track picker and picks the first suggestion with Enter, as a keyboard user would. */
async function pickByTyping(box: Locator, id: number): Promise<void> {
  await box.focus();
  await page.keyboard.type(titleOf(id));
  await page.getByRole("option", { name: startsWithTitle(id) }).waitFor();
  assert.equal(await box.getAttribute("aria-expanded"), "true");
  await page.keyboard.press("Enter");
  await showsTrack(box, id);
}

/** Waits for a picker to show a picked track as "title — artist". */
async function showsTrack(box: Locator, id: number): Promise<void> {
  await waitFor(async () => (/ — /.test(await box.inputValue()) && startsWithTitle(id).test(await box.inputValue()) ? true : null));
}

test("playlists: generate from a seed track picked by typing; the track page's link starts a sonic path", async () => {
  await page.goto(`${stack.webUrl}/playlists`);
  await asEditor();
  const panel = page.getByRole("region", { name: "Generate a playlist" });
  assert.equal(await panel.getByRole("radio", { name: "Seed track" }).isChecked(), true);
  const seedTrack = seed.warm[7]!;
  await pickByTyping(panel.getByRole("combobox", { name: "Seed track" }), seedTrack);
  await panel.getByRole("spinbutton", { name: "Tracks" }).fill("6");
  await keepEveryTrack(panel);
  await panel.getByRole("button", { name: "Generate from seed" }).click();
  const fromSeed = await openedPlaylist();
  const similar = await api<{ track: { similar: { track: { id: number } }[] } }>(`query($id: Int!) { track(id: $id) { similar(k: 5, space: AUDIO) { track { id } } } }`, { id: seedTrack });
  const ids = fromSeed.items.map((i) => i.track.id);
  assert.equal(ids[0], seedTrack, "the seed comes first");
  assert.equal(ids.length, 6);
  assert.deepEqual(ids, similar.track.similar.map((s) => s.track.id), "then its nearest neighbours in audio space");
  assert.equal(fromSeed.source, `seed:${seedTrack}`);
  // The page renders the playlist after its own fetch, which may finish after the test's API read above.
  const listed = page.getByRole("list", { name: "Playlist tracks" }).getByRole("listitem");
  await listed.nth(5).waitFor();
  assert.equal(await listed.count(), 6);
  await shot("playlists-generate-seed");

  const [from, to] = [seed.warm[2]!, seed.warm[seed.warm.length - 2]!];
  await page.goto(`${stack.webUrl}/tracks/${from}`);
  await page.getByRole("link", { name: "Playlist from this track" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Playlist from this track" }).getAttribute("href"), `/playlists?seed=${from}`);
  await page.getByRole("link", { name: "Path to…" }).click();
  await page.waitForURL(/\/playlists\?from=\d+$/);
  const start = panel.getByRole("combobox", { name: "From track" });
  await showsTrack(start, from);
  assert.equal(await panel.getByRole("radio", { name: "Sonic path" }).isChecked(), true);
  await pickByTyping(panel.getByRole("combobox", { name: "To track" }), to);
  await panel.getByRole("spinbutton", { name: "Steps" }).fill("5");
  await keepEveryTrack(panel);
  await shot("playlists-generate-path");
  await panel.getByRole("button", { name: "Generate path" }).click();
  const alongPath = await openedPlaylist();
  const path = await api<{ sonicPath: { track: { id: number } }[] }>(`query($f: Int!, $t: Int!) { sonicPath(from: $f, to: $t, length: 5, space: CF) { track { id } } }`, { f: from, t: to });
  const steps = alongPath.items.map((i) => i.track.id);
  assert.equal(steps.length, 5);
  assert.equal(steps[0], from, "the path starts at A");
  assert.equal(steps.at(-1), to, "and ends at B");
  assert.deepEqual(steps, path.sonicPath.map((s) => s.track.id));
  assert.equal(alongPath.name, `Path: ${titleOf(from)} → ${titleOf(to)}`);
  assert.equal(alongPath.source, `path:${from}-${to}`);
});

/** Turns a generator form's rules off (they are on by default), so the playlist is the raw ranking or path. */
async function keepEveryTrack(form: Locator): Promise<void> {
  await form.locator("summary", { hasText: "Rules:" }).click();
  await form.getByRole("checkbox", { name: /Skip flagged tracks/ }).uncheck();
  await form.getByRole("spinbutton", { name: /Skip tracks shorter than/ }).fill("0");
  await form.getByRole("checkbox", { name: /Spread artists/ }).uncheck();
  await form.locator("summary", { hasText: "Rules: keeps flagged tracks, keeps every length, keeps ranked order" }).waitFor();
}

/** Presses Tab (or Shift+Tab) until the focused control's label or text matches, as a keyboard user moves. */
async function tabTo(name: string, key: "Tab" | "Shift+Tab" = "Tab"): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press(key);
    const focused = await page.evaluate<string>(
      "(() => { const el = document.activeElement; return (el?.getAttribute('aria-label') ?? el?.labels?.[0]?.textContent ?? el?.textContent ?? '').trim(); })()",
    );
    if (focused === name) return;
  }
  throw new Error(`${key} never reached “${name}”`);
}

/** Whether the focused control shows the focus ring (:focus-visible), as it must for keyboard users. */
const focusRing = () => page.evaluate<string>("getComputedStyle(document.activeElement).outlineStyle");

test("map from the keyboard: find tracks by name, make them path ends and a selection, save both as playlists", async () => {
  await page.goto(`${stack.webUrl}/map`);
  await page.waitForFunction('performance.getEntriesByName("map-drawn").length > 0');
  const finder = page.getByRole("combobox", { name: "Find a track" });
  const [a, b, c] = [seed.warm[1]!, seed.warm[seed.warm.length - 1]!, seed.warm[9]!];

  await pickByTyping(finder, a);
  await tabTo("Start path here");
  assert.equal(await focusRing(), "solid");
  await page.keyboard.press("Enter");
  await tabTo("Find a track", "Shift+Tab");
  await page.keyboard.press("Escape");
  await waitFor(async () => ((await finder.inputValue()) === "" ? true : null));
  await pickByTyping(finder, b);
  await tabTo("End path here");
  await page.keyboard.press("Enter");
  const pathList = page.getByRole("list", { name: "Path tracks" });
  await pathList.waitFor();
  const path = await api<{ sonicPath: { track: { id: number; title: string } }[] }>(`query($f: Int!, $t: Int!) { sonicPath(from: $f, to: $t, length: 10, space: CF) { track { id title } } }`, { f: a, t: b });
  assert.deepEqual(await pathList.getByRole("link").allInnerTexts(), path.sonicPath.map((s) => s.track.title));
  await tabTo("Save path as playlist");
  await page.keyboard.press("Enter");
  const saved = page.getByRole("region", { name: "Sonic path" }).getByRole("status");
  await saved.waitFor();
  const savedId = Number((await saved.getByRole("link").getAttribute("href"))!.split("=").pop());
  const savedPath = await api<Generated>(`query($id: Int!) { playlist(id: $id) { name source items { track { id } } } }`, { id: savedId });
  // Saved under the default rules: both ends kept, flagged and sub-45 s steps between them left out.
  const kept = await api<{ tracks: { edges: { node: { id: number; durationSec: number; outlierFlags: { status: string }[] } }[] } }>(
    "{ tracks(first: 500) { edges { node { id durationSec outlierFlags { status } } } } }",
  );
  const keeps = new Map(kept.tracks.edges.map(({ node: t }) => [t.id, t.durationSec >= 45 && t.outlierFlags.every((f) => f.status === "REJECTED")]));
  const savedIds = savedPath.playlist.items.map((i) => i.track.id);
  const pathIds = path.sonicPath.map((s) => s.track.id);
  assert.deepEqual([savedIds[0], savedIds.at(-1)], [a, b]);
  assert.deepEqual(new Set(savedIds.slice(1, -1)), new Set(pathIds.slice(1, -1).filter((id) => keeps.get(id))));
  assert.equal(savedPath.playlist.source, `path:${a}-${b}`);

  await tabTo("Find a track", "Shift+Tab");
  await page.keyboard.press("Escape");
  await pickByTyping(finder, a);
  await tabTo("Add to selection");
  await page.keyboard.press("Enter");
  await tabTo("Find a track", "Shift+Tab");
  await page.keyboard.press("Escape");
  await pickByTyping(finder, c);
  await tabTo("Add to selection");
  await page.keyboard.press("Enter");
  const selection = page.getByRole("region", { name: "Selection" });
  await selection.getByRole("heading", { name: /^Selection · 2/ }).waitFor();
  await tabTo("Playlist name");
  assert.equal(await focusRing(), "solid");
  await page.keyboard.type("Keyboard pick");
  await page.keyboard.press("Enter");
  await selection.getByRole("status").waitFor();
  await shot("map-keyboard");
  const lists = await api<{ playlists: { edges: { node: { name: string; items: { track: { id: number } }[] } }[] } }>(`{ playlists(first: 50) { edges { node { name items(first: 10) { track { id } } } } } }`);
  const picked = lists.playlists.edges.map((e) => e.node).find((p) => p.name === "Keyboard pick");
  assert.deepEqual(picked?.items.map((i) => i.track.id), [a, c]);

  // Escape typed into a field kept the selection; Escape anywhere else drops it.
  await tabTo("Clear", "Shift+Tab");
  await page.keyboard.press("Escape");
  await selection.waitFor({ state: "detached" });
});

test("no page fetched anything from outside the web server (fonts, scripts, data)", () => {
  assert.deepEqual(offsite, []);
});
