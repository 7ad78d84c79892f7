import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { Db } from "@curator/db/client.js";
import { issueApiKey } from "@curator/db/api-keys.js";
import { readAlsCheckpoint } from "@curator/worker/factorize/checkpoint.js";
import { cachePath, readCachedMatrix, writeCachedMatrix } from "@curator/worker/features/cache.js";
import { FEATURE_PARAMS_HASH } from "@curator/worker/features/stage.js";
import { runJob } from "@curator/worker/jobs/job.js";
import { loadTensorflow } from "@curator/worker/model/backend.js";
import { listCheckpoints, loadCheckpoint } from "@curator/worker/model/checkpoint.js";
import { runParams } from "@curator/worker/model/run-record.js";
import { runPredict } from "@curator/worker/model/stage-predict.js";
import { runTrain, type TrainResume } from "@curator/worker/model/stage-train.js";
import { writeFactorSet } from "@curator/worker/storage/factor-sets.js";
import { Rng } from "@curator/worker/util/random.js";
import { FaissIndex } from "@curator/server/index/faiss-index.js";
import { indexFilePath } from "@curator/server/index/index-file.js";
import { IndexRegistry } from "@curator/server/index/registry.js";
import { freshDb, testBackend } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";
import { syntheticLogMel } from "../support/synthetic-log-mel.js";
import { INDEX_WORKER, runCli, startCli, startScript, tone, waitFor, type RunningCli } from "./cli.js";
import { writeWav } from "./wav.js";

const INDEX_LEASE_SECONDS = 5;

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("kill -9 mid-stage, then --resume: nothing half-written is visible and no finished work is lost", () => {
  test("features: cached tracks survive the kill untouched and the resumed job computes only the rest", async () => {
    const { db, url, close } = await freshDb();
    const dir = mkdtempSync(join(tmpdir(), "curator-kill-features-"));
    try {
      const artist = await db.artist.create({ data: { name: "Tones" } });
      for (let i = 0; i < 10; i++) {
        const path = join(dir, `tone-${i}.wav`);
        tone(path, 3, 300 + 41 * i);
        await db.track.create({ data: { externalId: `t${i}`, title: `t${i}`, artistId: artist.id, durationSec: 3, audioPath: path, contentHash: `tone${i}`, channels: 1, sampleRate: 22050, codec: "pcm_s16le" } });
      }
      const cache = join(dir, "cache");
      const args = ["features", "--mode", "middle", "--concurrency", "1", "--cache-dir", cache, "--picture-dir", join(dir, "pictures")];
      const first = startCli(args, url);
      await waitFor("three tracks cached", async () => (await db.featureCache.count()) >= 3, 120_000, 10);
      first.child.kill("SIGKILL");
      assert.equal(await first.exited, "SIGKILL");

      const before = await db.featureCache.findMany();
      assert.ok(before.length < 10, `killed mid-run (${before.length} of 10 cached)`);
      const mtimes = new Map<string, number>();
      for (const row of before) {
        assert.equal((await readCachedMatrix(row.path, 128))?.rows, 599, `${row.path} is complete`);
        mtimes.set(row.path, statSync(row.path).mtimeMs);
      }
      const job = await db.job.findFirstOrThrow({ where: { stage: "features" } });
      assert.equal(job.status, "RUNNING", "the killed run's job is left unfinished, for --resume");

      const resumed = await runCli([...args, "--resume"], url);
      assert.match(resumed.stderr, new RegExp(`resuming job #${job.id}`));
      assert.match(resumed.stderr, new RegExp(`${10 - before.length} tracks computed, ${before.length} already cached, 0 failed`));
      const after = await db.featureCache.findMany();
      assert.equal(after.length, 10);
      for (const row of after) assert.equal((await readCachedMatrix(row.path, 128))?.rows, 599);
      for (const [path, mtime] of mtimes) assert.equal(statSync(path).mtimeMs, mtime, `${path} was not recomputed`);
      const jobs = await db.job.findMany({ where: { stage: "features" } });
      assert.deepEqual(jobs.map((j) => [j.id, j.status]), [[job.id, "SUCCEEDED"]]);
      // A temporary file the kill interrupted may remain, but no row names one: readers only follow rows. The
      // chroma files are read by content hash, row or not, so each must be whole.
      const referenced = new Set(after.map((r) => r.path));
      const chroma = filesUnder(cache).filter((f) => f.includes(".chroma.") && !f.endsWith(".tmp"));
      for (const f of chroma) assert.ok((await readCachedMatrix(f, 12))?.rows, `${f} is complete`);
      const orphans = filesUnder(cache).filter((f) => !referenced.has(f) && !chroma.includes(f));
      assert.ok(orphans.every((f) => f.endsWith(".tmp")), `only .tmp leftovers: ${orphans.join(", ")}`);
      console.log(`# features: killed with ${before.length}/10 cached; ${orphans.length} orphan .tmp file(s)`);
    } finally {
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("factorize: the active set stays READY through kills in ALS and in storing; --resume continues from the last finished iteration", async () => {
    const { db, url, close } = await freshDb();
    const dir = mkdtempSync(join(tmpdir(), "curator-kill-als-"));
    try {
      await seedListens(db, 1500, 3000, 30);
      const base = ["factorize", "--factors", "16", "--threads", "1", "--checkpoint-dir", dir];
      await runCli([...base, "--iterations", "2"], url);
      const first = await db.activeFactorSet.findUniqueOrThrow({ where: { kind: "CF" } });

      // 1. Killed between iterations.
      const run = startCli([...base, "--iterations", "80"], url);
      const job = await waitFor("a checkpoint of iteration 3", async () => {
        const row = await db.job.findFirst({ where: { stage: "factorize", status: "RUNNING", checkpoint: { not: null } } });
        if (!row) return undefined;
        const { checkpoint } = JSON.parse(row.checkpoint!) as { checkpoint: string };
        return (await readAlsCheckpoint(checkpoint)).iterations >= 3 ? { ...row, file: checkpoint } : undefined;
      }, 120_000, 10);
      run.child.kill("SIGKILL");
      assert.equal(await run.exited, "SIGKILL");
      await assertActive(db, first.factorSetId);
      const saved = await readAlsCheckpoint(job.file);
      assert.ok(saved.iterations < 80, `killed mid-fit (after iteration ${saved.iterations})`);
      const resumed = await runCli([...base, "--iterations", "80", "--resume"], url);
      assert.match(resumed.stderr, new RegExp(`resuming job #${job.id}`));
      assert.match(resumed.stderr, new RegExp(`resuming after iteration ${saved.iterations} of 80`));
      const second = await db.activeFactorSet.findUniqueOrThrow({ where: { kind: "CF" } });
      assert.notEqual(second.factorSetId, first.factorSetId);
      await assertActive(db, second.factorSetId);
      assert.equal((await db.factorSet.findUniqueOrThrow({ where: { id: first.factorSetId } })).status, "RETIRED");
      console.log(`# factorize: killed after iteration ${saved.iterations} of 80, resumed from it`);

      // 2. Killed while the new set's rows are being written (BUILDING): readers keep the previous set.
      const storing = startCli([...base, "--iterations", "1"], url);
      const building = await waitFor("a BUILDING factor set", () => db.factorSet.findFirst({ where: { status: "BUILDING" } }).then((s) => s ?? undefined), 120_000, 2);
      storing.child.kill("SIGKILL");
      assert.equal(await storing.exited, "SIGKILL");
      await assertActive(db, second.factorSetId);
      const partial = await db.itemFactor.count({ where: { factorSetId: building.id } });
      assert.equal((await db.factorSet.findUnique({ where: { id: building.id } }))?.status, "BUILDING", "the half-written set is never READY");
      await runCli([...base, "--iterations", "1", "--resume"], url);
      const third = await db.activeFactorSet.findUniqueOrThrow({ where: { kind: "CF" } });
      await assertActive(db, third.factorSetId);
      assert.equal(await db.factorSet.count({ where: { id: building.id } }), 0, "the abandoned set was removed");
      assert.equal(await db.itemFactor.count({ where: { factorSetId: third.factorSetId } }), 3000);
      console.log(`# factorize: killed while storing (${partial} of 3000 track rows written); previous set stayed active`);
    } finally {
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("train: a run killed after epoch 2 is not READY and leaves the READY run and the predicted set in use alone; --resume continues it with its optimiser state", async () => {
    const { db, url, close } = await freshDb();
    const dir = mkdtempSync(join(tmpdir(), "curator-kill-train-"));
    let killedDir: string | undefined;
    try {
      const trackIds = (await seedCatalog(db, 3, 4)).map((tr) => tr.id);
      for (const [i, id] of trackIds.entries()) {
        const path = cachePath(join(dir, "features"), `hash${id}`, "middle", FEATURE_PARAMS_HASH);
        await writeCachedMatrix(path, { data: syntheticLogMel(300 + i, 599), rows: 599, cols: 128 });
        await db.featureCache.create({ data: { trackId: id, mode: "MIDDLE", paramsHash: FEATURE_PARAMS_HASH, path, frames: 599, windows: 1 } });
      }
      const rng = new Rng(3);
      await writeFactorSet(db, { kind: "CF", dims: 8, params: {}, trackIds, raw: Float32Array.from({ length: trackIds.length * 8 }, () => rng.next() - 0.5) });
      // The run and predicted set in use: a finished one-epoch run and its prediction.
      const previous = await runJob<TrainResume, { modelRunId: number }>(db, { stage: "train", quiet: true }, (job) =>
        runTrain(db, job, { preset: "tiny", inputs: "middle", epochs: 1, batchSize: 8, cropsPerEpoch: 1, checkpointRoot: join(dir, "models"), validation: 0.2, audioModel: "convnet" }),
      );
      const predicted = (await runJob(db, { stage: "predict", quiet: true }, (job) => runPredict(db, job, { modes: ["middle"], passes: 2 }))).result.sets[0]!.factorSetId;
      const inUse = async () => ({
        run: await db.modelRun.findUniqueOrThrow({ where: { id: previous.result.modelRunId } }),
        active: (await db.activeFactorSet.findUniqueOrThrow({ where: { kind: "PREDICTED_MIDDLE" }, include: { factorSet: true } })).factorSet,
      });
      const before = await inUse();

      // The CLI keeps checkpoints under data/models/run-<id>-<time>: removed in `finally`.
      const epochs = 30;
      const args = ["train", "--preset", "tiny", "--inputs", "middle", "--epochs", String(epochs), "--batch", "8", "--crops", "4", "--validation", "0.2", "--patience", "100", "--audio-model", "convnet"];
      const run = startCli(args, url);
      const killed = await waitFor("a checkpoint of epoch 2", async () => {
        const row = await db.modelRun.findFirst({ where: { id: { gt: previous.result.modelRunId } } });
        return row && row.epochsDone >= 2 ? row : undefined;
      }, 120_000, 10);
      killedDir = runParams(killed).checkpointDir;
      run.child.kill("SIGKILL");
      assert.equal(await run.exited, "SIGKILL");

      const after = await db.modelRun.findUniqueOrThrow({ where: { id: killed.id } });
      assert.equal(after.status, "BUILDING", "the killed run is never READY");
      assert.ok(after.epochsDone < epochs, `killed mid-run (after epoch ${after.epochsDone})`);
      assert.deepEqual(await inUse(), before, "the READY run and the active predicted set are untouched");
      assert.equal(before.active.id, predicted);
      // Every checkpoint directory (the one the row names among them) is complete; an interrupted one is a .tmp.
      const { tf } = await loadTensorflow();
      const saved = await listCheckpoints(killedDir);
      assert.ok(saved.some((c) => c.path === after.checkpointPath), "the row names a saved checkpoint");
      for (const c of saved) (await loadCheckpoint(tf, c.path)).model.dispose();
      const named = new Set(saved.map((c) => c.path));
      const orphans = readdirSync(killedDir).map((n) => join(killedDir!, n)).filter((p) => !named.has(p));
      assert.ok(orphans.every((p) => /\/\.epoch-\d+\..*\.tmp$/.test(p)), `only .tmp leftovers: ${orphans.join(", ")}`);
      const last = saved.at(-1)!.epoch;

      const resumed = await runCli([...args, "--resume"], url);
      assert.match(resumed.stderr, new RegExp(`resuming model run #${killed.id} after epoch ${after.epochsDone}`));
      const done = await db.modelRun.findUniqueOrThrow({ where: { id: killed.id } });
      assert.equal(done.status, "READY");
      assert.equal(done.epochsDone, epochs);
      assert.deepEqual((JSON.parse(done.lossCurve) as { epoch: number }[]).map((p) => p.epoch), Array.from({ length: epochs }, (_, i) => i + 1));
      // The optimiser's step count runs on from the checkpoint: a fresh optimiser would count only the resumed epochs.
      const params = runParams(done);
      const steps = Math.ceil((params.split.train.length * params.cropsPerEpoch) / params.training.batchSize);
      const state = JSON.parse(readFileSync(join(done.checkpointPath!, "state.json"), "utf8")) as { optimizer: { iterations: number } };
      assert.equal(state.optimizer.iterations, epochs * steps);
      assert.deepEqual(await inUse(), before, "training alone changes neither");
      console.log(`# train: killed after epoch ${after.epochsDone} (last checkpoint epoch ${last}, ${orphans.length} .tmp leftover(s)); resumed to ${epochs}`);
    } finally {
      await close();
      rmSync(dir, { recursive: true, force: true });
      if (killedDir) rmSync(killedDir, { recursive: true, force: true });
    }
  });

  test("index build: a worker killed after taking the job leaves no index file; the retried job writes it once, and a server then reads it", async (t) => {
    if (testBackend() !== "postgres") return t.skip("the index queue lives in PostgreSQL: this runs in the suite's PostgreSQL pass");
    const { db, url, close } = await freshDb();
    const dir = mkdtempSync(join(tmpdir(), "curator-kill-index-"));
    const workers: RunningCli[] = [];
    const lock = new pg.Client({ connectionString: url });
    await lock.connect();
    try {
      const trackIds = (await seedCatalog(db, 4, 10)).map((tr) => tr.id);
      const rng = new Rng(12);
      const factors = () => Float32Array.from({ length: trackIds.length * 8 }, () => rng.next() - 0.5);
      const first = await writeFactorSet(db, { kind: "CF", dims: 8, params: {}, trackIds, raw: factors() });
      const args = ["--index-dir", dir, "--poll-seconds", "0.5", "--maintenance-seconds", "1"];
      const indexWorker = () => {
        const w = startScript(INDEX_WORKER, args, url);
        workers.push(w);
        return w;
      };
      const done = (w: RunningCli, setId: number) => w.events.find((e) => e.event === "index-done" && e.factorSetId === setId);
      const victim = indexWorker();
      await runCli(["enqueue", "index"], url);
      assert.equal((await waitFor("the first set's index", () => done(victim, first), 60_000, 20)).outcome, "built");
      const registry = new IndexRegistry(db, { dir, log: (line) => assert.fail(`the registry built instead of reading: ${line}`) });
      assert.equal((await registry.refresh("CF"))?.setId, first);

      // The next set's build is held on its factor rows (the table locked) from the moment the worker takes the job,
      // so the kill lands before any file of it can exist.
      const second = await writeFactorSet(db, { kind: "CF", dims: 8, params: {}, trackIds, raw: factors() });
      await lock.query('BEGIN; LOCK TABLE "ItemFactor" IN ACCESS EXCLUSIVE MODE');
      // A short lease so the retry comes within seconds; the retried build itself takes milliseconds.
      await runCli(["enqueue", "index", "--expire-seconds", String(INDEX_LEASE_SECONDS), "--retry-delay", "1"], url);
      const key = `index:set${second}`;
      await waitFor("the worker to take the build", () => victim.events.some((e) => e.event === "batch" && e.key === key), 60_000, 20);
      const waiting = `SELECT count(*)::int AS n FROM pg_locks WHERE relation = '"ItemFactor"'::regclass AND NOT granted`;
      await waitFor("the build to wait on the factor rows", async () => (await lock.query<{ n: number }>(waiting)).rows[0]!.n > 0, 60_000, 20);
      victim.child.kill("SIGKILL");
      assert.equal(await victim.exited, "SIGKILL");
      await lock.query("ROLLBACK");
      const killedAt = Date.now();
      assert.deepEqual(readdirSync(dir), [`CF-set${first}.faiss`], "no file of the killed build, finished or half-written");
      assert.equal(FaissIndex.read(indexFilePath(dir, "CF", first)).ntotal, trackIds.length, "the previous set's index is intact");

      const survivor = indexWorker();
      assert.equal((await waitFor("the retried build", () => done(survivor, second), 60_000, 50)).outcome, "built");
      const taken = survivor.events.filter((e) => e.event === "batch" && e.key === key);
      assert.deepEqual(taken.map((e) => e.attempt), [2], "the killed build was retried once, after its lease");
      assert.equal(done(victim, second), undefined);
      assert.equal(FaissIndex.read(indexFilePath(dir, "CF", second)).ntotal, trackIds.length);
      assert.equal((await registry.refresh("CF"))?.setId, second, "the server moves to the new set by reading its file");
      assert.deepEqual(readdirSync(dir), [`CF-set${second}.faiss`], "one file, no leftovers; the older set's removed by the server");
      console.log(`# index: killed while its build waited on the factor rows; retried build done ${((Date.now() - killedAt) / 1000).toFixed(1)} s later (lease ${INDEX_LEASE_SECONDS} s)`);
      survivor.child.kill("SIGTERM");
      assert.equal(await survivor.exited, 0, survivor.stderr());
    } finally {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
      await lock.end();
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("ingest: a catalogue killed mid-run stores whole transactions only, and a re-run completes it without duplicates", async () => {
    const { db, url, close } = await freshDb();
    const dir = mkdtempSync(join(tmpdir(), "curator-kill-ingest-"));
    try {
      const rows = 12;
      let csv = "track_id,artist,album,title,path\n";
      for (let i = 0; i < rows; i++) {
        writeWav(join(dir, `t${i}.wav`), 110 + 13.7 * i, 0.1);
        csv += `t${i},Artist ${i % 3},Album ${i % 2},Title ${i},t${i}.wav\n`;
      }
      writeFileSync(join(dir, "catalog.csv"), csv);
      const args = ["ingest", "--catalog", join(dir, "catalog.csv")];
      // Killed as soon as the probing is done: just before, inside or just after the store transaction.
      const run = startCli(args, url);
      await waitFor("the last file probed", () => run.stderr().includes(`${rows}/${rows}`), 120_000, 2);
      run.child.kill("SIGKILL");
      assert.equal(await run.exited, "SIGKILL");
      const stored = await db.track.count();
      assert.ok(stored === 0 || stored === rows, `all or nothing, got ${stored} of ${rows}`);
      const orphans = await db.track.count({ where: { OR: [{ albumId: null }, { album: { tracks: { none: {} } } }] } });
      assert.equal(orphans, 0);

      const rerun = await runCli(args, url);
      assert.match(rerun.stderr, new RegExp(`${rows} catalogue rows: ${rows - stored} new, ${stored} already stored, 0 bad`));
      assert.equal(await db.track.count(), rows);
      assert.equal(await db.artist.count(), 3);
      assert.equal(await db.album.count(), 2);
      const positions = await db.track.findMany({ orderBy: [{ albumId: "asc" }, { position: "asc" }], select: { albumId: true, position: true } });
      for (const albumId of new Set(positions.map((p) => p.albumId))) {
        const ps = positions.filter((p) => p.albumId === albumId).map((p) => p.position);
        assert.deepEqual(ps, ps.map((_, i) => i + 1));
      }
      console.log(`# ingest: killed with ${stored} of ${rows} rows stored`);
    } finally {
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`playlist on ${testBackend()}: the API killed during a reorder burst leaves positions dense 1..n`, async () => {
    const handle = await freshDb();
    const { db, url } = handle;
    let api = await startApiProcess(url);
    try {
      const tracks = await seedCatalog(db, 5, 6);
      const playlist = await db.playlist.create({ data: { name: "burst", items: { create: tracks.map((tr, i) => ({ trackId: tr.id, position: i + 1 })) } } });
      const { key } = await issueApiKey(db, "editor", "EDITOR");
      const items = await db.playlistItem.findMany({ where: { playlistId: playlist.id }, select: { id: true } });
      const move = (port: number, itemId: number, to: number) =>
        fetch(`http://127.0.0.1:${port}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          body: JSON.stringify({ query: "mutation ($i: Int!, $to: Int!) { movePlaylistItem(itemId: $i, toPosition: $to) { id } }", variables: { i: itemId, to } }),
        }).then((r) => r.json() as Promise<{ errors?: unknown }>);

      let answered = 0;
      let killed = false;
      let seed = 7;
      const next = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
      const burst = Array.from({ length: 6 }, async () => {
        for (;;) {
          try {
            const res = await move(api.port, items[next(items.length)]!.id, 1 + next(items.length));
            assert.equal(res.errors, undefined, JSON.stringify(res.errors));
            answered++;
          } catch (err) {
            if (killed) return; // the server is gone: this client stops
            throw err;
          }
        }
      });
      await waitFor("40 answered moves", () => answered >= 40, 120_000, 1);
      killed = true;
      api.child.kill("SIGKILL");
      await Promise.all(burst);
      await assertDense(db, playlist.id, tracks.length);

      api = await startApiProcess(url);
      for (let i = 0; i < 10; i++) assert.equal((await move(api.port, items[next(items.length)]!.id, 1 + next(items.length))).errors, undefined);
      await assertDense(db, playlist.id, tracks.length);
      console.log(`# playlist (${testBackend()}): killed after ${answered} answered moves; positions dense`);
    } finally {
      if (api.child.exitCode === null && api.child.signalCode === null) api.child.kill("SIGKILL");
      await handle.close();
    }
  });
});

async function assertActive(db: Db, factorSetId: number): Promise<void> {
  const active = await db.activeFactorSet.findUniqueOrThrow({ where: { kind: "CF" }, include: { factorSet: true } });
  assert.equal(active.factorSetId, factorSetId, "the active set did not change");
  assert.equal(active.factorSet.status, "READY");
  assert.deepEqual((await db.factorSet.findMany({ where: { kind: "CF", status: "READY" } })).map((s) => s.id), [factorSetId], "one READY set");
}

/** Users × tracks listens from a fixed-seed generator: every user plays `perUser` tracks. */
async function seedListens(db: Db, users: number, tracks: number, perUser: number): Promise<void> {
  const artist = await db.artist.create({ data: { name: "Catalogue" } });
  await db.track.createMany({
    data: Array.from({ length: tracks }, (_, i) => ({ externalId: `t${i}`, title: `t${i}`, artistId: artist.id, durationSec: 60, audioPath: `/nonexistent/t${i}.ogg`, contentHash: `h${i}`, channels: 2, sampleRate: 44100, codec: "vorbis" })),
  });
  await db.user.createMany({ data: Array.from({ length: users }, (_, i) => ({ externalId: `u${i}` })) });
  const trackIds = (await db.track.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((t) => t.id);
  const userIds = (await db.user.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((u) => u.id);
  let s = 1;
  const rand = (n: number) => (s = (s * 1103515245 + 12345) >>> 0) % n;
  const listens = new Map<string, { userId: number; trackId: number; plays: number }>();
  for (const userId of userIds) {
    for (let k = 0; k < perUser; k++) {
      // Squaring skews plays towards the first tracks, like real popularity.
      const trackId = trackIds[Math.floor((rand(1000) / 1000) ** 2 * tracks)]!;
      listens.set(`${userId}:${trackId}`, { userId, trackId, plays: 1 + rand(20) });
    }
  }
  const rows = [...listens.values()];
  for (let i = 0; i < rows.length; i += 5000) await db.listen.createMany({ data: rows.slice(i, i + 5000) });
}

async function assertDense(db: Db, playlistId: number, length: number): Promise<void> {
  const rows = await db.playlistItem.findMany({ where: { playlistId }, orderBy: { position: "asc" } });
  assert.equal(rows.length, length, "no entry lost or duplicated");
  assert.deepEqual(rows.map((r) => r.position), rows.map((_, i) => i + 1), "positions dense 1..n");
}

const SERVER = fileURLToPath(new URL("../../../server/dist/main.js", import.meta.url));

/** The real API process (`node server/dist/main.js`) on a free port, once its /healthz answers. */
async function startApiProcess(databaseUrl: string) {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  const child = spawn(process.execPath, [SERVER], { env: { ...process.env, DATABASE_URL: databaseUrl, API_PORT: String(port), NODE_ENV: "production" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (t: string) => (out += t));
  child.stderr.setEncoding("utf8").on("data", (t: string) => (out += t));
  const alive = () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
  try {
    await waitFor("the API to start", async () => (child.exitCode !== null ? Promise.reject(new Error(out)) : alive()), 60_000, 20);
  } catch (err) {
    // A server left running would keep this test file's process alive after the failure.
    child.kill("SIGKILL");
    throw err;
  }
  return { child, port };
}
