import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { bytesToVector } from "@curator/db/factor-sets.js";
import { cachePath, readCachedMatrix, writeCachedMatrix } from "@curator/worker/features/cache.js";
import { FEATURE_PARAMS_HASH } from "@curator/worker/features/stage.js";
import { runJob } from "@curator/worker/jobs/job.js";
import { runPredict } from "@curator/worker/model/stage-predict.js";
import { runTrain, type TrainResume } from "@curator/worker/model/stage-train.js";
import { storeListens } from "@curator/worker/ingest/store/listen-store.js";
import { writeFactorSet } from "@curator/worker/storage/factor-sets.js";
import { Rng } from "@curator/worker/util/random.js";
import { indexFilePath } from "@curator/server/index/index-file.js";
import { IndexRegistry } from "@curator/server/index/registry.js";
import { freshDb, testBackend } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";
import { syntheticLogMel } from "../support/synthetic-log-mel.js";
import { INDEX_WORKER, runCli, startCli, startScript, tone, waitFor, type RunningCli } from "./cli.js";

const TRACKS = 30;
const BATCH = 3;
// Short lease so the killed worker's batch comes back within seconds; still far above a 3-track batch's run time.
const LEASE_SECONDS = 20;
// Prediction: the two survivors each load TensorFlow and the model (seconds under load) before the other nine
// batches are written, all of which must happen inside the killed batch's lease for the snapshot below.
const PREDICT_LEASE_SECONDS = 30;

test("three workers share the feature batches; a kill -9'd worker's batch is retried by another after its lease expires", async (t) => {
  if (testBackend() !== "postgres") return t.skip("pg-boss queues live in PostgreSQL: this runs in the suite's PostgreSQL pass");
  const handle = await freshDb();
  const { db, url } = handle;
  const dir = mkdtempSync(join(tmpdir(), "curator-workers-"));
  const workers: RunningCli[] = [];
  try {
    const artist = await db.artist.create({ data: { name: "Tone generator" } });
    for (let i = 0; i < TRACKS; i++) {
      const path = join(dir, `tone-${i}.wav`);
      tone(path, 3, 200 + 37 * i);
      await db.track.create({
        data: { externalId: `tone-${i}`, title: `Tone ${i}`, artistId: artist.id, durationSec: 3, audioPath: path, contentHash: `tone${i}`, channels: 1, sampleRate: 22050, codec: "pcm_s16le" },
      });
    }
    const queued = await runCli(["enqueue", "features", "--mode", "middle", "--batch", String(BATCH), "--expire-seconds", String(LEASE_SECONDS), "--retry-delay", "1"], url);
    assert.match(queued.stderr, new RegExp(`${TRACKS} tracks missing features in ${TRACKS / BATCH} batches: ${TRACKS / BATCH} queued`));
    const again = await runCli(["enqueue", "features", "--mode", "middle", "--batch", String(BATCH)], url);
    assert.match(again.stderr, /0 queued, 10 already waiting or running/, "a second enqueue adds nothing");

    const args = ["worker", "--queues", "features", "--poll-seconds", "0.5", "--maintenance-seconds", "1", "--cache-dir", join(dir, "cache"), "--picture-dir", join(dir, "pictures")];
    for (let i = 0; i < 3; i++) workers.push(startCli(args, url));

    // Kill the first worker seen finishing a track, with the rest of its batch still to do.
    const victim = await waitFor("a worker to compute a track", () => workers.find((w) => w.events.some((e) => e.event === "track")), 60_000, 5);
    victim.child.kill("SIGKILL");
    assert.equal(await victim.exited, "SIGKILL");
    const killedBatch = victim.events.find((e) => e.event === "track")!.key as string;
    assert.ok(!victim.events.some((e) => e.event === "batch-done" && e.key === killedBatch), "the victim was killed mid-batch");
    const killedAt = Date.now();
    const survivors = workers.filter((w) => w !== victim);

    const boss = new pg.Client({ connectionString: url });
    await boss.connect();
    const queueStates = async () =>
      (await boss.query<{ state: string; retry_count: number; singleton_key: string }>("SELECT state, retry_count, singleton_key FROM pgboss.job WHERE name = 'features'")).rows;
    try {
      await waitFor("every batch to complete", async () => (await queueStates()).every((j) => j.state === "completed"), 180_000, 250);
      console.log(`# all batches complete ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill (lease ${LEASE_SECONDS} s)`);
      const states = await queueStates();
      assert.equal(states.length, TRACKS / BATCH, "one queue job per batch");
      const retried = states.filter((j) => j.retry_count > 0);
      assert.deepEqual(retried.map((j) => j.singleton_key), [killedBatch], "only the killed worker's batch needed a retry");
    } finally {
      await boss.end();
    }

    const taken = survivors.flatMap((w) => w.events.filter((e) => e.event === "batch" && e.key === killedBatch));
    assert.equal(taken.length, 1, "one survivor took the killed batch");
    assert.equal(taken[0]!.attempt, 2);

    // Every track computed exactly once over all three workers, the killed one included.
    const computed = workers.flatMap((w) => w.events.filter((e) => e.event === "track")).map((e) => e.trackId as number);
    const tracks = await db.track.findMany({ select: { id: true }, orderBy: { id: "asc" } });
    assert.deepEqual([...computed].sort((a, b) => a - b), tracks.map((r) => r.id), "each track computed once, none twice");
    const count = (w: RunningCli) => w.events.filter((e) => e.event === "track").length;
    console.log(`# tracks computed: killed worker ${count(victim)}, survivors ${survivors.map(count).join(" and ")}`);
    assert.ok(survivors.every((w) => count(w) > 0), "the work was shared");

    const rows = await db.featureCache.findMany();
    assert.equal(rows.length, TRACKS);
    for (const row of rows) assert.equal((await readCachedMatrix(row.path, 128))?.rows, 599);

    const attempts = await db.job.findMany({ where: { stage: "features-batch" }, orderBy: { id: "asc" } });
    const abandoned = attempts.filter((j) => j.status === "FAILED");
    assert.equal(abandoned.length, 1, "the killed attempt's job row is closed, not left RUNNING");
    assert.match(abandoned[0]!.error ?? "", /lease expired/);
    assert.ok(attempts.filter((j) => j.status !== "FAILED").every((j) => j.status === "SUCCEEDED"));

    for (const w of survivors) w.child.kill("SIGTERM");
    for (const w of survivors) assert.equal(await w.exited, 0, w.stderr());
  } finally {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("three workers share a predicted set's batches: each batch written once, the set activated once after a kill -9'd batch is retried, the old set served until then, the index built by the index worker", async (t) => {
  if (testBackend() !== "postgres") return t.skip("pg-boss queues live in PostgreSQL: this runs in the suite's PostgreSQL pass");
  const handle = await freshDb();
  const { db, url } = handle;
  const dir = mkdtempSync(join(tmpdir(), "curator-predict-workers-"));
  const workers: RunningCli[] = [];
  let indexWorker: RunningCli | undefined;
  try {
    // 30 tracks with cached middle excerpts, a CF set, a one-epoch tiny model and a first predicted set made directly.
    const trackIds = (await seedCatalog(db, 3, TRACKS / 3)).map((tr) => tr.id);
    for (const [i, id] of trackIds.entries()) {
      const path = cachePath(join(dir, "features"), `hash${id}`, "middle", FEATURE_PARAMS_HASH);
      await writeCachedMatrix(path, { data: syntheticLogMel(200 + i, 599), rows: 599, cols: 128 });
      await db.featureCache.create({ data: { trackId: id, mode: "MIDDLE", paramsHash: FEATURE_PARAMS_HASH, path, frames: 599, windows: 1 } });
    }
    const rng = new Rng(9);
    await writeFactorSet(db, { kind: "CF", dims: 8, params: {}, trackIds, raw: Float32Array.from({ length: TRACKS * 8 }, () => rng.next() - 0.5) });
    await runJob<TrainResume, unknown>(db, { stage: "train", quiet: true }, (job) =>
      runTrain(db, job, { preset: "tiny", inputs: "middle", epochs: 1, batchSize: 8, cropsPerEpoch: 1, checkpointRoot: join(dir, "models"), validation: 0.2, audioModel: "convnet" }),
    );
    const direct = await runJob(db, { stage: "predict", quiet: true }, (job) => runPredict(db, job, { modes: ["middle"], passes: 2 }));
    const oldSetId = direct.result.sets[0]!.factorSetId;

    const queued = await runCli(["enqueue", "predict", "--mode", "middle", "--passes", "2", "--batch", String(BATCH), "--expire-seconds", String(PREDICT_LEASE_SECONDS), "--retry-delay", "1"], url);
    const planned = /new factor set #(\d+): 30 tracks in 10 batches: 10 queued/.exec(queued.stderr);
    assert.ok(planned, queued.stderr);
    const setId = Number(planned[1]);
    const again = await runCli(["enqueue", "predict", "--mode", "middle", "--passes", "2", "--batch", String(BATCH)], url);
    assert.match(again.stderr, new RegExp(`unfinished factor set #${setId}: 30 tracks in 10 batches: 0 queued`), "a second enqueue adds nothing");
    await assert.rejects(runCli(["enqueue", "predict", "--mode", "middle", "--passes", "3", "--batch", String(BATCH)], url), /still being built by workers with other options/);

    const indexDir = join(dir, "indexes");
    indexWorker = startScript(INDEX_WORKER, ["--index-dir", indexDir, "--poll-seconds", "0.5", "--maintenance-seconds", "1"], url);
    const args = ["worker", "--queues", "predict", "--poll-seconds", "0.5", "--maintenance-seconds", "1"];
    for (let i = 0; i < 3; i++) workers.push(startCli(args, url));

    // Kill the first worker seen starting a batch: it is still loading TensorFlow and the model, well before its commit.
    const started = (w: RunningCli) => w.events.find((e) => e.event === "batch" && e.queue === "predict");
    const victim = await waitFor("a worker to start a prediction batch", () => workers.find(started), 60_000, 5);
    victim.child.kill("SIGKILL");
    assert.equal(await victim.exited, "SIGKILL");
    const killedBatch = started(victim)!.key as string;
    assert.ok(!victim.events.some((e) => e.event === "predict-done"), "the victim was killed mid-batch");
    const survivors = workers.filter((w) => w !== victim);

    const boss = new pg.Client({ connectionString: url });
    await boss.connect();
    // Until the killed batch is retried (after its lease), the new set stays BUILDING and the old one is served:
    // read in one snapshot once the other nine are written.
    await waitFor("the other nine batches", () => survivors.flatMap((w) => w.events.filter((e) => e.event === "predict-done")).length >= 9, 120_000, 100);
    await boss.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    const snapshot = {
      undone: (await boss.query<{ n: string }>(`SELECT count(*) AS n FROM "FactorSetBatch" WHERE "factorSetId" = $1 AND "doneAt" IS NULL`, [setId])).rows[0]!.n,
      active: (await boss.query<{ id: number }>(`SELECT "factorSetId" AS id FROM "ActiveFactorSet" WHERE kind = 'PREDICTED_MIDDLE'`)).rows[0]!.id,
      status: (await boss.query<{ status: string }>(`SELECT status FROM "FactorSet" WHERE id = $1`, [setId])).rows[0]!.status,
    };
    await boss.query("COMMIT");
    assert.deepEqual(snapshot, { undone: "1", active: oldSetId, status: "BUILDING" }, "the old set is active while the killed batch is outstanding");
    const pointer = async () => (await db.activeFactorSet.findUniqueOrThrow({ where: { kind: "PREDICTED_MIDDLE" } })).factorSetId;

    const queueStates = async (name: string) =>
      (await boss.query<{ state: string; retry_count: number; singleton_key: string }>("SELECT state, retry_count, singleton_key FROM pgboss.job WHERE name = $1", [name])).rows;
    try {
      await waitFor("every batch and the index build to complete", async () => {
        const jobs = [...(await queueStates("predict")), ...(await queueStates("index"))];
        return jobs.length === 11 && jobs.every((j) => j.state === "completed");
      }, 180_000, 250);
      const states = await queueStates("predict");
      assert.deepEqual(states.filter((j) => j.retry_count > 0).map((j) => j.singleton_key), [killedBatch], "only the killed worker's batch needed a retry");
    } finally {
      await boss.end();
    }

    // Every batch written exactly once over all workers; exactly one activation.
    const done = workers.flatMap((w) => w.events.filter((e) => e.event === "predict-done" && (e.outcome === "written" || e.outcome === "activated")));
    const keys = done.map((e) => e.key as string).sort();
    assert.deepEqual(keys, Array.from({ length: 10 }, (_, b) => `predict:set${setId}:${b}`).sort(), "each batch written once, none twice");
    const activations = workers.flatMap((w) => w.events.filter((e) => e.event === "activated"));
    assert.deepEqual(activations.map((e) => e.factorSetId), [setId], "the set activated once");
    assert.equal(done.filter((e) => e.outcome === "activated").length, 1);
    const taken = survivors.flatMap((w) => w.events.filter((e) => e.event === "batch" && e.key === killedBatch));
    assert.deepEqual(taken.map((e) => e.attempt), [2], "one survivor took the killed batch, as its second attempt");
    assert.ok(survivors.every((w) => w.events.some((e) => e.event === "predict-done")), "the work was shared");

    assert.equal(await pointer(), setId);
    assert.equal((await db.factorSet.findUniqueOrThrow({ where: { id: oldSetId } })).status, "RETIRED");
    const batches = await db.factorSetBatch.findMany({ where: { factorSetId: setId } });
    assert.ok(batches.every((b) => b.doneAt !== null && b.written === BATCH));
    const attempts = await db.job.findMany({ where: { stage: "predict-batch" } });
    // The victim may die before or after opening its attempt's job row; one it opened is closed, none is left RUNNING.
    assert.equal(attempts.filter((j) => j.status === "SUCCEEDED").length, 10);
    assert.ok(attempts.filter((j) => j.status !== "SUCCEEDED").every((j) => j.status === "FAILED" && /lease expired/.test(j.error ?? "")));

    // Batches predict what one direct run predicts (the network is deterministic with dropout off).
    const rows = async (id: number) => db.itemFactor.findMany({ where: { factorSetId: id }, orderBy: { trackId: "asc" } });
    const [ours, reference] = [await rows(setId), await rows(oldSetId)];
    assert.deepEqual(ours.map((r) => r.trackId), trackIds);
    ours.forEach((r, i) => {
      const [a, b] = [bytesToVector(r.raw, 8), bytesToVector(reference[i]!.raw, 8)];
      a.forEach((v, d) => assert.ok(Math.abs(v - b[d]!) < 1e-4, `track ${r.trackId} dimension ${d}: ${v} vs ${b[d]}`));
      assert.ok(r.spread !== null && r.spread > 0);
    });

    // The index worker built the new set's file; a server reads it instead of building.
    assert.deepEqual(indexWorker.events.filter((e) => e.event === "index-done").map((e) => [e.factorSetId, e.outcome]), [[setId, "built"]]);
    assert.ok(existsSync(indexFilePath(indexDir, "PREDICTED_MIDDLE", setId)));
    const log: string[] = [];
    const space = await new IndexRegistry(db, { dir: indexDir, log: (line) => log.push(line) }).get("PREDICTED_MIDDLE");
    assert.equal(space?.setId, setId);
    assert.equal(space.index.ntotal, TRACKS);
    assert.deepEqual(log, [], "the registry read the worker's file");

    for (const w of [...survivors, indexWorker]) w.child.kill("SIGTERM");
    for (const w of [...survivors, indexWorker]) assert.equal(await w.exited, 0, w.stderr());
  } finally {
    for (const w of [...workers, ...(indexWorker ? [indexWorker] : [])]) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("factorize (from the CLI and from the jobs queue) and import-factors queue their CF set's index build, once each; the index worker builds the active one", async (t) => {
  if (testBackend() !== "postgres") return t.skip("pg-boss queues live in PostgreSQL: this runs in the suite's PostgreSQL pass");
  const handle = await freshDb();
  const { db, url } = handle;
  const dir = mkdtempSync(join(tmpdir(), "curator-factorize-index-"));
  const running: RunningCli[] = [];
  const pgClient = new pg.Client({ connectionString: url });
  try {
    await seedCatalog(db, 3, 4);
    const tracks = (await db.track.findMany({ select: { externalId: true }, orderBy: { id: "asc" } })).map((tr) => tr.externalId);
    const rng = new Rng(4);
    const listens = Array.from({ length: 10 }, (_, u) => tracks.filter(() => rng.next() < 0.5).map((track) => ({ user: `u${u}`, track, plays: 1 + Math.floor(rng.next() * 5) }))).flat();
    await storeListens(db, listens, "test");
    const factorize = ["--factors", "4", "--iterations", "2", "--threads", "1"];
    await pgClient.connect();
    const indexJobs = async () =>
      (await pgClient.query<{ data: { factorSetId: number }; singleton_key: string; state: string }>("SELECT data, singleton_key, state FROM pgboss.job WHERE name = 'index' ORDER BY created_on")).rows;

    const cli = await runCli(["factorize", ...factorize, "--checkpoint-dir", join(dir, "cli")], url);
    const first = /index build of set #(\d+) queued/.exec(cli.stderr);
    assert.ok(first, cli.stderr);
    const cliSet = Number(first[1]);
    assert.equal((await db.activeFactorSet.findUniqueOrThrow({ where: { kind: "CF" } })).factorSetId, cliSet);
    assert.deepEqual((await indexJobs()).map((j) => [j.data.factorSetId, j.singleton_key]), [[cliSet, `index:set${cliSet}`]]);

    // The API's way: a QUEUED Job row that a worker serving `jobs` takes and runs.
    const row = await db.job.create({ data: { stage: "factorize", params: JSON.stringify({ factors: 4, iterations: 2, threads: 1 }) } });
    const worker = startCli(["worker", "--queues", "jobs", "--poll-seconds", "0.5", "--maintenance-seconds", "1", "--checkpoint-dir", join(dir, "worker")], url);
    running.push(worker);
    await waitFor("the worker to run the queued factorize", () => worker.events.find((e) => e.event === "job" && e.jobId === row.id), 120_000, 100);
    const queuedSet = (await db.factorSet.findFirstOrThrow({ where: { jobId: row.id } })).id;
    assert.equal((await db.activeFactorSet.findUniqueOrThrow({ where: { kind: "CF" } })).factorSetId, queuedSet);
    assert.deepEqual((await indexJobs()).map((j) => j.data.factorSetId), [cliSet, queuedSet], "one index job per activated set");

    const items = join(dir, "items.csv");
    writeFileSync(items, tracks.map((id, i) => `${id},${i + 1},0,0,1`).join("\n"));
    const imported = await runCli(["import-factors", "--items", items], url);
    const importedSet = Number(/index build of set #(\d+) queued/.exec(imported.stderr)?.[1]);
    assert.equal((await db.activeFactorSet.findUniqueOrThrow({ where: { kind: "CF" } })).factorSetId, importedSet, imported.stderr);
    assert.deepEqual(
      (await indexJobs()).map((j) => [j.data.factorSetId, j.singleton_key]),
      [cliSet, queuedSet, importedSet].map((set) => [set, `index:set${set}`]),
    );

    const indexDir = join(dir, "indexes");
    const indexer = startScript(INDEX_WORKER, ["--index-dir", indexDir, "--poll-seconds", "0.5", "--maintenance-seconds", "1"], url);
    running.push(indexer);
    await waitFor("the index jobs to complete", async () => (await indexJobs()).every((j) => j.state === "completed"), 120_000, 100);
    const outcomes = indexer.events.filter((e) => e.event === "index-done").map((e) => [e.factorSetId, e.outcome]);
    assert.deepEqual(outcomes, [[cliSet, "superseded"], [queuedSet, "superseded"], [importedSet, "built"]]);
    assert.ok(existsSync(indexFilePath(indexDir, "CF", importedSet)));
    for (const p of running) p.child.kill("SIGTERM");
    for (const p of running) assert.equal(await p.exited, 0, p.stderr());
  } finally {
    for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    await pgClient.end().catch(() => undefined);
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
