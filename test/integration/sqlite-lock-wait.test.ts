// Issue 25, item 2: on SQLite a write waits (without blocking the process) while another connection holds the write
// lock, for as long as the client's lock wait, then fails with a reason. The default wait is 10 minutes
// (SQLITE_LOCK_WAIT_MS), long enough for an import of millions of listens; this test shortens it to seconds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { openDb } from "@curator/db/client.js";
import { SQLITE_LOCK_WAIT_MS } from "@curator/db/sqlite-connection.js";
import { freshDb } from "../support/db.js";

test("a SQLite write waits out another connection's write transaction up to the lock wait, then fails saying so", async () => {
  assert.equal(SQLITE_LOCK_WAIT_MS, 600_000);
  const handle = await freshDb({ sqliteLockWaitMs: 2_000 }, "sqlite");
  const importer = openDb({ url: handle.url });
  try {
    /** Another client's write transaction (an import) holding the lock for `ms`; `holding` resolves once it holds it. */
    const hold = (ms: number) => {
      let locked!: () => void;
      const holding = new Promise<void>((resolve) => (locked = resolve));
      const done = importer.$transaction(
        async (tx) => {
          await tx.playlist.create({ data: { name: "import" } });
          locked();
          await sleep(ms);
        },
        { timeout: ms + 10_000 },
      );
      return { holding, done };
    };

    let held = hold(1_000);
    await Promise.race([held.holding, held.done]);
    const started = Date.now();
    await handle.db.playlist.create({ data: { name: "edit beside a short import" } });
    assert.ok(Date.now() - started >= 500, "the edit should have waited for the import's commit");
    await held.done;

    held = hold(4_000);
    await Promise.race([held.holding, held.done]);
    await assert.rejects(
      handle.db.playlist.create({ data: { name: "edit beside a long import" } }),
      /another process held the write lock for over 2 s/,
    );
    await held.done;
    assert.deepEqual(
      (await handle.db.playlist.findMany({ orderBy: { id: "asc" } })).map((p) => p.name),
      ["import", "edit beside a short import", "import"],
    );
  } finally {
    await importer.$disconnect();
    await handle.close();
  }
});
