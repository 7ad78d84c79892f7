// The registry's index-file housekeeping beside an index worker sharing the folder (server/src/index-worker.ts).
import assert from "node:assert/strict";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { IndexRegistry } from "@curator/server/index/registry.js";
import { writeFactorSet } from "@curator/worker/storage/factor-sets.js";
import { freshDb } from "../support/db.js";
import { gaussianRows, tempIndexDir } from "../support/indexed-api.js";
import { seedCatalog } from "../support/seed.js";

test("loading a set removes older sets' index files and keeps a newer set's, which an index worker may have written first", async () => {
  const handle = await freshDb();
  const indexDir = tempIndexDir();
  try {
    const trackIds = (await seedCatalog(handle.db, 2, 5)).map((t) => t.id);
    const write = (seed: number) => writeFactorSet(handle.db, { kind: "CF", dims: 4, params: {}, trackIds, raw: gaussianRows(trackIds.length, 4, seed) });
    const older = await write(1);
    const active = await write(2);
    // Stand-ins: the older set's file from an earlier load, and the next set's from an index worker.
    writeFileSync(join(indexDir.dir, `CF-set${older}.faiss`), "old");
    writeFileSync(join(indexDir.dir, `CF-set${active + 1}.faiss`), "next");
    const space = await new IndexRegistry(handle.db, { dir: indexDir.dir, log: () => {} }).get("CF");
    assert.equal(space?.setId, active);
    assert.deepEqual(readdirSync(indexDir.dir).sort(), [`CF-set${active + 1}.faiss`, `CF-set${active}.faiss`].sort());
  } finally {
    indexDir.remove();
    await handle.close();
  }
});
