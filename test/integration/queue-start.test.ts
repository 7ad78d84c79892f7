import { test } from "node:test";
import assert from "node:assert/strict";
import { openBoss } from "@curator/worker/queue/boss.js";
import { QUEUES } from "@curator/worker/queue/queues.js";
import { freshDb, testBackend } from "../support/db.js";

const PROCESSES = 4;
const ROUNDS = 3;

// Workers, index workers and `curator enqueue` started together on a new database each create every queue; pg-boss's
// create_queue could deadlock against itself there, and PostgreSQL aborted one, whose process then died at start.
test("processes opening the queues together on a new database all start, with every queue made", async (t) => {
  if (testBackend() !== "postgres") return t.skip("pg-boss queues live in PostgreSQL: this runs in the suite's PostgreSQL pass");
  for (let round = 0; round < ROUNDS; round++) {
    const { url, close } = await freshDb();
    const started = await Promise.allSettled(Array.from({ length: PROCESSES }, () => openBoss({}, url)));
    try {
      const failed = started.flatMap((s) => (s.status === "rejected" ? [(s.reason as Error).message] : []));
      assert.deepEqual(failed, [], `round ${round}`);
      const boss = (started[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof openBoss>>>).value;
      const names = (await boss.getQueues()).map((q) => q.name);
      assert.deepEqual(Object.keys(QUEUES).filter((name) => !names.includes(name)), [], "every curator queue made");
    } finally {
      for (const s of started) if (s.status === "fulfilled") await s.value.stop({ graceful: false, wait: true });
      await close();
    }
  }
});
