// Issue 25, item 6: a job whose process died (kill -9) used to stay RUNNING forever. Its heartbeat lease runs out:
// the API shows it FAILED with the reason, and the next stage to start marks the row so.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runJob } from "@curator/worker/jobs/job.js";
import { JOB_LEASE_MS } from "@curator/worker/jobs/lease.js";
import { freshDb, testBackend } from "../support/db.js";
import { startApi } from "../support/api.js";

test(`a running job past its heartbeat lease is shown and marked abandoned on ${testBackend()}`, async () => {
  const handle = await freshDb();
  const { db } = handle;
  const api = await startApi(db);
  try {
    const long = new Date(Date.now() - JOB_LEASE_MS - 60_000);
    const dead = await db.job.create({ data: { stage: "features", status: "RUNNING", startedAt: long, heartbeatAt: long } });
    const alive = await db.job.create({ data: { stage: "factorize", status: "RUNNING", startedAt: long, heartbeatAt: new Date() } });
    type Jobs = { jobs: { id: number; status: string; error: string | null }[] };
    const seen = async () => new Map((await api.query<Jobs>(`{ jobs { id status error } }`)).body.data!.jobs.map((j) => [j.id, j]));

    const before = await seen();
    assert.equal(before.get(dead.id)?.status, "FAILED");
    assert.match(before.get(dead.id)?.error ?? "", /^abandoned: no heartbeat since .* run the stage again, with --resume to continue$/);
    assert.equal(before.get(alive.id)?.status, "RUNNING");
    assert.equal((await db.job.findUniqueOrThrow({ where: { id: dead.id } })).status, "RUNNING", "a read does not write");

    const next = await runJob(db, { stage: "map", quiet: true }, async () => "done");
    assert.equal(next.status, "SUCCEEDED");
    const marked = await db.job.findUniqueOrThrow({ where: { id: dead.id } });
    assert.equal(marked.status, "FAILED");
    assert.match(marked.error ?? "", /^abandoned/);
    assert.equal((await db.job.findUniqueOrThrow({ where: { id: alive.id } })).status, "RUNNING", "a job within its lease is left alone");

    // Still resumable: --resume takes the abandoned job back.
    const resumed = await runJob(db, { stage: "features", resume: true, quiet: true }, async (job) => job.id);
    assert.equal(resumed.result, dead.id);
  } finally {
    await api.close();
    await handle.close();
  }
});
