// Jobs and Evaluations in Chromium, desktop (1440×900) and phone (390×844): a training job that stopped early says
// why; rows open a job's page (parameters, duration, events, curve, skipped items a page at a time); an ADMIN
// starts, cancels and re-runs jobs there while anyone else is told why they cannot; the Evaluations page names
// models and measures in words, marks the chance baseline and the ceilings, and points out the model behind Audio.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { issueApiKey } from "@curator/db/api-keys.js";
import { advance, endOfRun, initialState, shouldStopEarly, TRAINING_DEFAULTS, type EpochReport } from "@curator/worker/model/schedule.js";
import { freshDb, type TestDb } from "../support/db.js";
import { tempIndexDir } from "../support/indexed-api.js";
import { launchChromium, repoRoot, startStack, type Stack } from "./harness.js";
import { assertNoSidewaysScroll } from "./overflow.js";
import { seedWorkbench, type Workbench } from "./workbench-seed.js";

const screenshots = join(repoRoot, "test-output", "screenshots");
const VIEWPORTS = {
  desktop: { viewport: { width: 1440, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
} as const;

let testDb: TestDb;
let indexDir: ReturnType<typeof tempIndexDir>;
let seed: Workbench;
let stack: Stack;
let browser: Browser;
let adminKey: string;
let trainJob: { id: number; message: string };
let skippingJob: number;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

/** A run of the schedule's own bookkeeping (as train() does it) whose validation AUC stops improving at epoch 196. */
function earlyStoppedRun() {
  const options = { ...TRAINING_DEFAULTS, epochs: 720, patience: 10, monitor: "auc" as const };
  let state = initialState(options);
  let stopped = false;
  for (let epoch = 1; epoch <= options.epochs && !stopped; epoch++) {
    const valAuc = epoch <= 196 ? 0.6 + 0.2 * (epoch / 196) : 0.79;
    const report: EpochReport = { epoch, trainLoss: 0.05 / Math.sqrt(epoch), valLoss: 0.03 + 0.01 / epoch, valAuc, lr: 0.0005, seconds: 1 };
    state = advance(state, report, 0, options);
    stopped = shouldStopEarly(state, options);
  }
  return { message: `${endOfRun(state.history, state.bestEpoch, stopped, options)}; weights of epoch ${state.bestEpoch} kept`, history: state.history };
}

before(async () => {
  testDb = await freshDb();
  seed = await seedWorkbench(testDb.db);
  const db = testDb.db;
  adminKey = (await issueApiKey(db, "e2e-admin", "ADMIN")).key;
  const run = earlyStoppedRun();
  const started = new Date(Date.now() - 3_600_000);
  const train = await db.job.create({
    data: {
      stage: "train",
      status: "SUCCEEDED",
      params: JSON.stringify({ preset: "small", validation: 0.15, inputs: "whole", cropsPerEpoch: 8, monitor: "auc", masks: {} }),
      done: run.history.length * 18,
      total: 720 * 18,
      message: run.message,
      series: JSON.stringify(run.history.map(({ seconds: _, ...point }) => point)),
      createdAt: started,
      startedAt: started,
      finishedAt: new Date(started.getTime() + 754_000),
    },
  });
  trainJob = { id: train.id, message: run.message };
  const features = await db.job.create({
    data: { stage: "features", status: "PARTIAL", params: JSON.stringify({ modes: ["MIDDLE"] }), done: 400, total: 400, failed: 130, startedAt: started, finishedAt: new Date(started.getTime() + 65_000) },
  });
  skippingJob = features.id;
  await db.jobBadItem.createMany({ data: Array.from({ length: 130 }, (_, i) => ({ jobId: features.id, item: `corpus/broken-${String(i).padStart(3, "0")}.ogg`, reason: "invalid data found when processing input" })) });
  await seedEvaluations(testDb);
  indexDir = tempIndexDir();
  stack = await startStack({ env: { DATABASE_URL: testDb.url, INDEX_DIR: indexDir.dir } });
  browser = await launchChromium();
  mkdirSync(screenshots, { recursive: true });
});

/** The cold-start run as eval/coldstart.ts stores it (table text and metrics line), with the derived ratios that used to show raw. */
async function seedEvaluations({ db }: TestDb): Promise<void> {
  const rows: [string, number, number, string][] = [
    ["random", 0.5264, 0.5919, ""],
    ["MFCC BoW + linear regression", 0.8676, 0.9094, "ridge λ=1 (5-fold CV)"],
    ["convnet (middle excerpt)", 0.5226, 0.52, "model run #1, dot"],
    ["convnet (whole track)", 0.5577, 0.5431, "model run #1, dot"],
    ["oracle: mean factors of the album", 0.8887, 0.9257, "metadata, not audio; 0 of 10 fell back to the mean"],
    ["upper bound (WMF on all listens)", 1, 1, "raw factors, dot"],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const tableText = [
    "Cold-start recommendation (NIPS 2013 Table 1): 749 users (8 more played every test track) rank 10 held-out tracks; content models trained on 42 tracks, 40 factors",
    "",
    `${"model".padEnd(width)}  mAP@500     AUC  note`,
    `${"-".repeat(width)}  -------  ------  ----`,
    ...rows.map(([model, map, auc, note]) => `${model.padEnd(width)}  ${map.toFixed(4).padStart(7)}  ${auc.toFixed(4).padStart(6)}  ${note}`),
  ].join("\n");
  const key = (model: string) => model.replace(/[^A-Za-z0-9]+/g, "_").replace(/_$/, "");
  const metrics = {
    users: 749,
    usersWhoPlayedEveryTestTrack: 8,
    testTracks: 10,
    ...Object.fromEntries(rows.flatMap(([model, map, auc]) => [[`${key(model)}_mAP@500`, map], [`${key(model)}_AUC`, auc]])),
    shipped_middle_AUC: 0.52,
    PREDICTED_MIDDLE_cosine_AUC: 0.5195,
    convnet_auc_over_upper: 0.5431,
    convnet_auc_minus_bow_lr: -0.3664,
    album_oracle_auc_over_upper: 0.9257,
  };
  await db.evaluation.create({ data: { name: "coldstart", tableText, metrics: JSON.stringify(metrics), createdAt: new Date(Date.now() + 1000) } });
  // eval/hybrid.ts: one scoring, measures whose names end like others ("cold precision", "precision@10").
  const hybrid = "unit prediction × median warm norm (before)";
  await db.evaluation.create({
    data: {
      name: "hybrid",
      tableText: `Hybrid recommendations: 757 listeners with held-out listens, top 10, audio model: convnet\n\n${"scoring".padEnd(hybrid.length)}  cold precision  precision@10\n${"-".repeat(hybrid.length)}  --------------  ------------\n${hybrid}          0.4301        0.3725`,
      metrics: JSON.stringify({ users: 757, k: 10, backing: "convnet", [`${key(hybrid)}_cold_precision`]: 0.4301, [`${key(hybrid)}_warm_precision`]: 0, [`${key(hybrid)}_precision@10`]: 0.3725 }),
    },
  });
}

afterEach(async (t) => {
  const page = contexts.at(-1)?.pages()[0];
  if (page) await page.screenshot({ path: join(screenshots, `last-jobs-${t.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}.png`) }).catch(() => undefined);
});

after(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stack?.stop();
  await testDb?.close();
  indexDir?.remove();
  seed?.removeMedia();
});

async function open(name: keyof typeof VIEWPORTS): Promise<Page> {
  await contexts.pop()?.close();
  const context = await browser.newContext(VIEWPORTS[name]);
  contexts.push(context);
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(`${name} ${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(`${name} ${page.url()} console: ${message.text()}`);
  });
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

async function signInAsAdmin(page: Page): Promise<void> {
  await page.goto(`${stack.webUrl}/signin#key=${encodeURIComponent(adminKey)}`);
  await page.getByRole("region", { name: "Signed in" }).waitFor();
}

for (const name of ["desktop", "phone"] as const) {
  test(`${name}: a job stopped early says why, and its row opens its page with parameters, duration, events, curve and skipped items`, async () => {
    const page = await open(name);
    await page.goto(`${stack.webUrl}/jobs`);
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: `Job #${trainJob.id} (train)` }) });
    assert.match(trainJob.message, /^stopped early at epoch 206 of 720: validation AUC had not improved for 10 epochs \(patience 10; best 0\.8000 at epoch 196\)/);
    assert.match(await row.innerText(), /stopped early at epoch 206 of 720: validation AUC had not improved for 10 epochs/);
    await assertNoSidewaysScroll(page, "the jobs page does not scroll sideways");
    await shot(page, `jobs-list-${name}`);

    await row.getByRole("link", { name: `Job #${trainJob.id} (train)` }).click();
    await page.waitForURL(`**/jobs/${trainJob.id}`);
    assert.equal(await page.title(), `Job #${trainJob.id} · Curator Workbench`);
    assert.equal(await page.getByTestId("job-outcome").innerText(), trainJob.message);
    const params = page.getByRole("table", { name: "Parameters" });
    assert.match(await params.innerText(), /monitor\s+auc/);
    assert.match(await page.locator("dl").innerText(), /Duration\s+12 min 34 s/);
    assert.match(await page.getByRole("list", { name: "Events" }).innerText(), /206 epochs recorded[\s\S]*ended succeeded/);
    await page.locator("figure canvas").first().waitFor();
    assert.match((await page.getByRole("img").getAttribute("aria-label")) ?? "", /206 epochs, last validation loss 0\.\d{4}, validation AUC 0\.790/);
    await assertNoSidewaysScroll(page, "the job page does not scroll sideways");
    await shot(page, `job-train-${name}`);

    await page.goto(`${stack.webUrl}/jobs/${skippingJob}`);
    const skipped = page.getByRole("list", { name: `Items job #${skippingJob} skipped` });
    await skipped.getByRole("listitem").first().waitFor();
    assert.equal(await skipped.getByRole("listitem").count(), 100, "the first page of skipped items");
    await page.getByRole("button", { name: "Show 30 more of 130" }).click();
    await skipped.getByText("corpus/broken-129.ogg").waitFor();
    assert.equal(await skipped.getByRole("listitem").count(), 130);
    await assertNoSidewaysScroll(page, page.url());
    await shot(page, `job-skipped-${name}`);

    await page.goto(`${stack.webUrl}/jobs/999999`);
    assert.match(await page.locator("main").innerText(), /not found|404/i);
    // The 404's own "failed to load resource" line is the answer asked for, not a fault.
    assert.deepEqual(pageErrors.filter((e) => !e.includes("/jobs/999999")), []);
    pageErrors.length = 0;
  });

  test(`${name}: only an admin starts, cancels and re-runs jobs; anyone else is told why`, async () => {
    const page = await open(name);
    await page.goto(`${stack.webUrl}/jobs/${skippingJob}`);
    assert.match(await page.getByTestId("job-actions-hint").innerText(), /Sign in with an admin's key: only admins cancel or re-run jobs/);
    assert.equal(await page.getByRole("button", { name: /Re-run/ }).count(), 0);
    await page.goto(`${stack.webUrl}/jobs`);
    assert.match(await page.getByTestId("start-job-hint").innerText(), /admins start, cancel and re-run jobs here/);

    await signInAsAdmin(page);
    await page.goto(`${stack.webUrl}/jobs`);
    const form = page.getByRole("form", { name: "Start a job" });
    await form.getByLabel("Stage").selectOption("features");
    await form.getByLabel(/Parameters/).fill('{"mode": "middle"}');
    await form.getByRole("button", { name: "Start features" }).click();
    await page.waitForURL(/\/jobs\/\d+$/);
    const started = Number(page.url().split("/").at(-1));
    const queued = await testDb.db.job.findUniqueOrThrow({ where: { id: started } });
    assert.deepEqual([queued.stage, queued.status, JSON.parse(queued.params)], ["features", "QUEUED", { mode: "middle" }]);
    assert.match(await page.getByRole("list", { name: "Events" }).innerText(), /waiting for a worker/);
    assert.equal(await page.getByRole("button", { name: /Re-run/ }).count(), 0, "a queued job is cancelled, not re-run");
    await shot(page, `job-queued-${name}`);

    await page.getByRole("button", { name: "Cancel job" }).click();
    await page.getByTestId("job-outcome").getByText("cancelled by e2e-admin").waitFor();
    assert.equal((await testDb.db.job.findUniqueOrThrow({ where: { id: started } })).status, "CANCELLED");
    assert.equal(await page.getByRole("button", { name: "Cancel job" }).count(), 0, "an ended job has nothing to cancel");

    await page.goto(`${stack.webUrl}/jobs/${skippingJob}`);
    await page.getByRole("button", { name: "Re-run with these parameters" }).click();
    await page.waitForURL((url) => /\/jobs\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${skippingJob}`));
    const rerun = await testDb.db.job.findUniqueOrThrow({ where: { id: Number(page.url().split("/").at(-1)) } });
    assert.deepEqual([rerun.stage, rerun.status, JSON.parse(rerun.params)], ["features", "QUEUED", { modes: ["MIDDLE"] }]);
    await page.getByRole("button", { name: "Cancel job" }).click();
    await page.getByTestId("job-outcome").getByText("cancelled by e2e-admin").waitFor();

    await page.goto(`${stack.webUrl}/jobs/${trainJob.id}`);
    assert.match(await page.getByRole("group", { name: "Job actions" }).innerText(), /train runs from the command line \(npx curator train\)/);
    await assertNoSidewaysScroll(page, page.url());
    await shot(page, `job-admin-${name}`);
    assert.deepEqual(pageErrors, []);
  });

  test(`${name}: evaluations name models and measures in words, mark the chance baseline and ceilings, and point out the model behind Audio`, async () => {
    const page = await open(name);
    await page.goto(`${stack.webUrl}/evaluations`);
    const coldstart = page.getByRole("region", { name: "Evaluation coldstart" });
    await coldstart.waitFor();
    const text = await coldstart.innerText();
    assert.doesNotMatch(text, /convnet_auc|_minus_|_over_|upper bound WMF/, "no raw metric keys");
    assert.deepEqual(await coldstart.locator("figcaption").allInnerTexts(), ["mAP@500", "AUC"], "one chart per measure, no 'upper' group");
    assert.match(text, /convnet AUC − MFCC BoW \+ linear regression AUC:?\s*-0\.3664/);
    assert.match(text, /convnet \(middle excerpt\) AUC, cosine scoring:?\s*0\.5195/);
    const auc = coldstart.getByRole("figure").filter({ has: page.locator("figcaption", { hasText: /^AUC$/ }) });
    assert.match(await auc.getByRole("row").filter({ hasText: /^random/ }).innerText(), /chance baseline/);
    assert.match(await auc.getByRole("row").filter({ hasText: "upper bound" }).innerText(), /ceiling, not a model/);
    assert.match(await auc.getByRole("row").filter({ hasText: "convnet (middle excerpt)" }).innerText(), /backs the Audio column/);
    assert.match(text, /Audio column \(and the audio map and playlists\) comes from convnet \(middle excerpt\)/);
    // Every model label whole: nothing cut off with an ellipsis.
    const clipped = await auc.locator("th").evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent));
    assert.deepEqual(clipped, []);
    assert.match(await auc.innerText(), /MFCC BoW \+ linear regression/);
    const hybrid = await page.getByRole("region", { name: "Evaluation hybrid" }).innerText();
    assert.match(hybrid, /unit prediction × median warm norm \(before\): cold precision:?\s*0\.4301/);
    assert.match(hybrid, /unit prediction × median warm norm \(before\): precision@10:?\s*0\.3725/);
    await assertNoSidewaysScroll(page, "the evaluations page does not scroll sideways");
    await shot(page, `evaluations-${name}`);
    await coldstart.screenshot({ path: join(screenshots, `evaluations-coldstart-${name}.png`) });
    assert.deepEqual(pageErrors, []);
  });
}
