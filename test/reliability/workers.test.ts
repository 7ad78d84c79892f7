import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { readCachedMatrix } from "@curator/worker/features/cache.js";
import { freshDb, testBackend } from "../support/db.js";
import { runCli, startCli, tone, waitFor, type RunningCli } from "./cli.js";

const TRACKS = 30;
const BATCH = 3;
// Short lease so the killed worker's batch comes back within seconds; still far above a 3-track batch's run time.
const LEASE_SECONDS = 20;

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
