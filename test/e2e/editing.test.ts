// Editing a newcomer can find, and the flags review queue, in Chromium at desktop and phone sizes: the sign-in
// link `npm run demo` prints, an ADMIN's key management, "sign in to edit" where a visitor cannot edit, and the
// queue's filters (in the URL), sort, verdicts, notes, bulk actions and undo, each checked through the API.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { issueApiKey } from "@curator/db/api-keys.js";
import { freshDb, type TestDb } from "../support/db.js";
import { tempIndexDir } from "../support/indexed-api.js";
import { launchChromium, repoRoot, startStack, type Stack, graphqlAs } from "./harness.js";
import { assertNoSidewaysScroll } from "./overflow.js";
import { seedWorkbench, type Workbench } from "./workbench-seed.js";

const screenshots = join(repoRoot, "test-output", "screenshots");
const VIEWPORTS = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;

let testDb: TestDb;
let indexDir: ReturnType<typeof tempIndexDir>;
let seed: Workbench;
let stack: Stack;
let browser: Browser;
let adminKey: string;
const errors: string[] = [];

before(async () => {
  testDb = await freshDb();
  seed = await seedWorkbench(testDb.db);
  // Flags of other kinds and scores beside the seed's intros, for the queue's filters and sort.
  const [a, b, c] = seed.tracks.slice(-3);
  await testDb.db.outlierFlag.createMany({
    data: [
      { trackId: a!.id, kind: "COVER", score: 0.97, reason: "chroma aligns with an earlier track by another artist (0.91)" },
      { trackId: b!.id, kind: "REMIX", score: 0.64, reason: "near-duplicate of an earlier track by the same artist (cosine 0.88)" },
      { trackId: c!.id, kind: "COVER", score: 0.71, reason: "chroma aligns with an earlier track by another artist (0.74)" },
    ],
  });
  adminKey = (await issueApiKey(testDb.db, "e2e-admin", "ADMIN")).key;
  indexDir = tempIndexDir();
  stack = await startStack({ env: { DATABASE_URL: testDb.url, INDEX_DIR: indexDir.dir } });
  browser = await launchChromium();
  mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  await testDb?.close();
  indexDir?.remove();
  seed?.removeMedia();
});

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()} (${message.location().url || page.url()})`);
  });
  return page;
}

/** The API with the admin's key (harness.ts). */
const api = graphqlAs(() => stack, () => adminKey);


async function signInByLink(page: Page, key: string): Promise<void> {
  await page.goto(`${stack.webUrl}/signin#key=${encodeURIComponent(key)}`);
  await page.getByRole("region", { name: "Signed in" }).waitFor();
}

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`a visitor sees "sign in to edit", and the demo's sign-in link signs in at once (${name})`, async () => {
    const page = await newPage(viewport);
    await page.goto(`${stack.webUrl}/tracks/${seed.tracks[0]!.id}`);
    const hint = page.getByRole("link", { name: "Sign in to edit" });
    await hint.waitFor();
    await page.goto(`${stack.webUrl}/flags`);
    await page.getByRole("link", { name: "Sign in to edit" }).waitFor();
    assert.equal(await page.getByRole("button", { name: /^Confirm/ }).count(), 0, "no verdict buttons for a visitor");
    await page.getByRole("link", { name: "Sign in to edit" }).click();
    await page.waitForURL(/\/signin$/);
    await page.screenshot({ path: join(screenshots, `editing-signin-page-${name}.png`) });

    await signInByLink(page, adminKey);
    assert.match(await page.getByRole("region", { name: "Signed in" }).innerText(), /Signed in as e2e-admin \(admin\)/);
    assert.equal(new URL(page.url()).hash, "", "the key leaves the address bar once read");
    await assertNoSidewaysScroll(page, page.url());
    await page.screenshot({ path: join(screenshots, `editing-signed-in-${name}.png`) });
    await page.close();
  });
}

test("an ADMIN creates a named key with a role (shown once, with its sign-in link), sees last use, and revokes it", async () => {
  const page = await newPage(VIEWPORTS.desktop);
  await signInByLink(page, adminKey);
  await page.getByRole("link", { name: "Manage API keys" }).click();
  await page.waitForURL(/\/keys$/);
  await page.getByRole("listitem", { name: "Key e2e-editor" }).waitFor();
  const form = page.getByRole("form", { name: "Create a key" });
  await form.getByRole("textbox", { name: "Name" }).fill("Lin the editor");
  await form.getByRole("combobox", { name: /^Role/ }).selectOption("EDITOR");
  await form.getByRole("button", { name: "Create key" }).click();
  const link = await page.getByLabel("Sign-in link").inputValue();
  const key = await page.getByLabel("New API key").inputValue();
  assert.equal(link, `${stack.webUrl}/signin#key=${encodeURIComponent(key)}`);
  const row = page.getByRole("listitem", { name: "Key Lin the editor" });
  assert.match(await row.innerText(), /editor[\s\S]*never used/i);
  await page.screenshot({ path: join(screenshots, "editing-keys-desktop.png") });

  // The link works in another browser context (a new editor's first visit); the key's use then shows.
  const other = await browser.newContext({ viewport: VIEWPORTS.phone });
  const phone = await other.newPage();
  await phone.goto(link);
  await phone.getByRole("region", { name: "Signed in" }).waitFor();
  assert.match(await phone.getByRole("region", { name: "Signed in" }).innerText(), /Lin the editor \(editor\)/);
  await page.reload();
  await page.getByRole("listitem", { name: "Key Lin the editor" }).waitFor();
  assert.match(await page.getByRole("listitem", { name: "Key Lin the editor" }).innerText(), /last used/);
  await page.setViewportSize(VIEWPORTS.phone);
  await assertNoSidewaysScroll(page, "keys page fits a phone");
  await page.screenshot({ path: join(screenshots, "editing-keys-phone.png") });

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Revoke Lin the editor" }).click();
  await page.getByRole("listitem", { name: "Key Lin the editor" }).getByText(/revoked/).waitFor();
  const keys = await api<{ apiKeys: { name: string; revokedAt: string | null }[] }>("{ apiKeys { name revokedAt } }");
  assert.ok(keys.apiKeys.find((k) => k.name === "Lin the editor")!.revokedAt !== null);
  const refused = await fetch(`${stack.apiUrl}/graphql`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: '{"query":"{ viewer { name } }"}' });
  assert.equal(refused.status, 401);
  await other.close();
  await page.close();
});

type ApiFlag = { id: number; kind: string; score: number; status: string; verdictBy: string | null; verdictNote: string | null; track: { title: string } };
const flagsNow = async (filter = "") =>
  (await api<{ flags: { edges: { node: ApiFlag }[] } }>(`{ flags(first: 500, orderBy: SCORE${filter}) { edges { node { id kind score status verdictBy verdictNote track { title } } } } }`)).flags.edges.map((e) => e.node);
const labelsOf = (flags: ApiFlag[]) => flags.map((f) => `${f.kind.toLowerCase()} flag on ${f.track.title}`);

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`flags review queue: sorted by score, reasons in plain sight, kind and status filters in the URL (${name})`, async () => {
    const page = await newPage(viewport);
    await signInByLink(page, seed.editorKey);
    await page.goto(`${stack.webUrl}/flags`);
    const list = page.getByRole("list", { name: "Flags" });
    await list.getByRole("listitem").first().waitFor();
    const shown = () => list.getByRole("listitem").evaluateAll((items) => items.map((i) => i.getAttribute("aria-label")));
    assert.deepEqual(await shown(), labelsOf(await flagsNow()), "every flag, most suspicious first");
    const cover = list.getByRole("listitem", { name: `cover flag on ${seed.tracks.at(-3)!.title}` });
    assert.match(await cover.innerText(), /0\.97[\s\S]*Why: chroma aligns with an earlier track by another artist \(0\.91\)/);
    assert.match(await list.getByRole("listitem").first().innerText(), /Album role: First of \d+ on its album\./);
    await page.screenshot({ path: join(screenshots, `flags-queue-${name}.png`), fullPage: true });
    await assertNoSidewaysScroll(page, "nothing in the queue reaches past the screen's right edge");

    await page.getByRole("combobox", { name: /^Kind/ }).selectOption("COVER");
    await page.waitForURL(/\/flags\?kind=COVER$/);
    await page.getByRole("status").filter({ hasText: /^2 flags$/ }).waitFor();
    assert.deepEqual(await shown(), labelsOf(await flagsNow(", kind: COVER")));
    await page.reload();
    assert.equal(await page.getByRole("combobox", { name: /^Kind/ }).inputValue(), "COVER", "a reload keeps the filter");
    await cover.getByRole("link").click();
    await page.waitForURL(/\/tracks\/\d+$/);
    await page.goBack();
    await page.getByRole("status").filter({ hasText: /^2 flags$/ }).waitFor();
    assert.equal(await page.getByRole("combobox", { name: /^Kind/ }).inputValue(), "COVER", "Back returns to the filtered queue");
    await page.getByRole("combobox", { name: /^Status/ }).selectOption("CONFIRMED");
    await page.waitForURL(/\?kind=COVER&status=CONFIRMED$/);
    await page.getByText("No flags match these filters.").waitFor();
    await page.close();
  });
}

test("flags review queue: confirm, undo, note, bulk reject and reopen, each recorded with who and when", async () => {
  // This test's own page: what earlier tests' pages logged is not its to answer for.
  errors.length = 0;
  const page = await newPage(VIEWPORTS.desktop);
  await signInByLink(page, seed.editorKey);
  await page.goto(`${stack.webUrl}/flags?kind=COVER`);
  const list = page.getByRole("list", { name: "Flags" });
  const title = seed.tracks.at(-3)!.title;
  const item = list.getByRole("listitem", { name: `cover flag on ${title}` });
  await item.waitFor();
  const coverId = (await flagsNow(", kind: COVER")).find((f) => f.track.title === title)!.id;
  const stored = async (id = coverId) => (await flagsNow()).find((f) => f.id === id)!;

  await item.getByRole("button", { name: `Confirm the cover flag on ${title}` }).click();
  // Next's route announcer is an empty role=alert outside main; the page's own errors are inside it.
  await page.waitForFunction(`document.querySelector("main [role=alert]") || document.querySelector("[aria-label='Last action']")`);
  const alerts = page.locator("main [role=alert]");
  assert.equal(await alerts.count(), 0, (await alerts.allInnerTexts()).join("; "));
  // first(): the verdict line; the flag's (folded) history below repeats who and when.
  await item.getByText(/by e2e-editor · \d{4}-\d\d-\d\d \d\d:\d\d UTC/).first().waitFor();
  assert.deepEqual([(await stored()).status, (await stored()).verdictBy], ["CONFIRMED", "e2e-editor"]);
  await page.getByRole("status", { name: "Last action" }).getByRole("button", { name: "Undo" }).click();
  await page.getByRole("status", { name: "Last action" }).waitFor({ state: "detached" });
  assert.deepEqual([(await stored()).status, (await stored()).verdictBy], ["OPEN", null], "undo reopens it");

  await item.getByRole("button", { name: `Note on the cover flag on ${title}` }).click();
  await item.getByLabel("Note", { exact: true }).fill("same chords as the menu theme, a real cover");
  await item.getByRole("button", { name: "Save note" }).click();
  await item.getByText("same chords as the menu theme, a real cover").first().waitFor();
  assert.equal((await stored()).verdictNote, "same chords as the menu theme, a real cover");

  await page.getByLabel("select all shown").check();
  await page.getByRole("button", { name: "Reject selected" }).click();
  await page.getByRole("status", { name: "Last action" }).getByText("Rejected 2 flags.").waitFor();
  const covers = await flagsNow(", kind: COVER");
  assert.deepEqual(covers.map((f) => f.status), ["REJECTED", "REJECTED"]);
  assert.equal((await stored()).verdictNote, "same chords as the menu theme, a real cover", "a bulk verdict keeps notes");
  await page.screenshot({ path: join(screenshots, "flags-queue-after-bulk-desktop.png"), fullPage: true });
  await page.getByRole("status", { name: "Last action" }).getByRole("button", { name: "Undo" }).click();
  await page.getByRole("status", { name: "Last action" }).waitFor({ state: "detached" });
  assert.deepEqual((await flagsNow(", kind: COVER")).map((f) => f.status), ["OPEN", "OPEN"], "undo puts both back");
  assert.equal((await stored()).verdictNote, "same chords as the menu theme, a real cover");
  assert.deepEqual(errors, []);
  await page.close();
});
