import { test } from "node:test";
import assert from "node:assert/strict";
import { issueApiKey } from "@curator/db/api-keys.js";
import { JobCancelledError, runJob } from "@curator/worker/jobs/job.js";
import { freshDb } from "../support/db.js";
import { startApi } from "../support/api.js";

test("a batch goes on past bad items, lists them, and ends PARTIAL", async () => {
  const { db, close } = await freshDb();
  try {
    const items = ["a.ogg", "broken.ogg", "c.ogg", "empty.ogg"];
    const outcome = await runJob(db, { stage: "demo", quiet: true }, async (job) => {
      const done: string[] = [];
      for (const [i, item] of items.entries()) {
        if (item.includes("broken") || item.includes("empty")) await job.bad(item, "invalid data found when processing input");
        else done.push(item);
        await job.progress(i + 1, items.length, item);
      }
      return done;
    });
    assert.equal(outcome.status, "PARTIAL");
    assert.deepEqual(outcome.result, ["a.ogg", "c.ogg"]);
    const row = await db.job.findUniqueOrThrow({ where: { id: outcome.jobId }, include: { badItems: true } });
    assert.equal(row.failed, 2);
    assert.equal(row.done, 4);
    assert.deepEqual(row.badItems.map((b) => b.item), ["broken.ogg", "empty.ogg"]);
  } finally {
    await close();
  }
});

test("a failed job records its error and --resume continues from its last checkpoint", async () => {
  const { db, close } = await freshDb();
  try {
    await assert.rejects(
      runJob<{ next: number }, void>(db, { stage: "count", quiet: true }, async (job) => {
        for (let i = 0; i < 10; i++) {
          if (i === 6) throw new Error("killed at 6");
          await job.checkpoint({ next: i + 1 });
        }
      }),
      /killed at 6/,
    );
    const failed = await db.job.findFirstOrThrow({ where: { stage: "count" } });
    assert.equal(failed.status, "FAILED");
    assert.equal(failed.error, "killed at 6");

    const resumedFrom: number[] = [];
    const outcome = await runJob<{ next: number }, void>(db, { stage: "count", resume: true, quiet: true }, async (job) => {
      resumedFrom.push(job.resumeFrom?.next ?? 0);
    });
    assert.deepEqual(resumedFrom, [6]);
    assert.equal(outcome.jobId, failed.id);
    assert.equal(outcome.status, "SUCCEEDED");
  } finally {
    await close();
  }
});

test("bad items are written in batches, not one transaction each, and none is lost when the job fails", async () => {
  const { db, close } = await freshDb();
  try {
    // Counts the write transactions the job makes (every bad-item write is one); the database is the real one.
    let transactions = 0;
    const counted = new Proxy(db, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (key === "$transaction") transactions++;
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const n = 2_400;
    const outcome = await runJob(counted, { stage: "bulk-bad", quiet: true }, async (job) => {
      for (let i = 0; i < n; i++) await job.bad(`item-${i}.ogg`, `reason ${i}`);
    });
    assert.equal(outcome.status, "PARTIAL");
    const row = await db.job.findUniqueOrThrow({ where: { id: outcome.jobId }, select: { failed: true } });
    assert.equal(row.failed, n);
    const stored = await db.jobBadItem.findMany({ where: { jobId: outcome.jobId }, orderBy: { id: "asc" } });
    assert.deepEqual(stored.map((b) => b.item), Array.from({ length: n }, (_, i) => `item-${i}.ogg`));
    assert.ok(transactions <= n / 100, `${transactions} write transactions for ${n} bad items`);

    await assert.rejects(
      runJob(db, { stage: "bad-then-fail", quiet: true }, async (job) => {
        for (let i = 0; i < 3; i++) await job.bad(`late-${i}.ogg`, "unreadable");
        throw new Error("stage crashed");
      }),
      /stage crashed/,
    );
    const failed = await db.job.findFirstOrThrow({ where: { stage: "bad-then-fail" }, include: { badItems: true } });
    assert.equal(failed.status, "FAILED");
    assert.equal(failed.failed, 3);
    assert.deepEqual(failed.badItems.map((b) => b.item).sort(), ["late-0.ogg", "late-1.ogg", "late-2.ogg"]);
  } finally {
    await close();
  }
});

test("cancelJob: a running job stops at its next item with what it committed kept, a queued one never starts, an ended one is refused", async () => {
  const { db, close } = await freshDb();
  const api = await startApi(db);
  try {
    const admin = (await issueApiKey(db, "operator", "ADMIN")).key;
    const cancel = (id: number) => api.query<{ cancelJob: { status: string; error: string | null } }>(`mutation ($id: Int!) { cancelJob(id: $id) { status error } }`, { id }, admin);
    const committed: number[] = [];
    const running = runJob<{ next: number }, void>(db, { stage: "count", quiet: true }, async (job) => {
      for (let i = 0; i < 10; i++) {
        committed.push(i);
        if (i === 3) assert.equal((await cancel(job.id)).body.data?.cancelJob.status, "CANCELLED");
        await job.checkpoint({ next: i + 1 });
      }
    });
    await assert.rejects(running, JobCancelledError);
    assert.deepEqual(committed, [0, 1, 2, 3], "the stage stopped at the checkpoint after the cancel");
    const row = await db.job.findFirstOrThrow({ where: { stage: "count" } });
    assert.equal(row.status, "CANCELLED");
    assert.equal(row.error, "cancelled by operator");
    assert.notEqual(row.finishedAt, null);
    assert.equal(row.checkpoint, JSON.stringify({ next: 3 }), "the last checkpoint before the cancel stays");

    // A queued row cancelled before a worker takes it: the worker's runJob refuses to start it.
    const queued = await db.job.create({ data: { stage: "count" } });
    assert.equal((await cancel(queued.id)).body.data?.cancelJob.status, "CANCELLED");
    let ran = false;
    await assert.rejects(runJob(db, { stage: "count", jobId: queued.id, quiet: true }, async () => void (ran = true)), JobCancelledError);
    assert.equal(ran, false);
    assert.equal((await db.job.findUniqueOrThrow({ where: { id: queued.id } })).status, "CANCELLED");

    const ended = await runJob(db, { stage: "count", quiet: true }, async () => undefined);
    const refused = await cancel(ended.jobId);
    assert.equal(refused.body.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
    assert.match(refused.body.errors![0]!.message, /is SUCCEEDED: only a QUEUED or RUNNING job can be cancelled/);
  } finally {
    await api.close();
    await close();
  }
});
