import { test } from "node:test";
import assert from "node:assert/strict";
import { bytesToVector, vectorToBytes } from "@curator/db/factor-sets.js";
import { deployMigrations } from "@curator/db/migrate.js";
import { freshDb, testBackend } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";

test(`prisma round trip on ${testBackend()}`, async () => {
  const handle = await freshDb();
  const { db, url } = handle;
  try {
    const tracks = await seedCatalog(db, 2, 3);
    assert.equal(await db.track.count(), 6);
    const first = await db.track.findUniqueOrThrow({ where: { id: tracks[0]!.id }, include: { artist: true, album: true } });
    assert.equal(first.artist.name, "Composer 0");
    assert.equal(first.album?.title, "Soundtrack 0");

    // Vectors survive as float32 bytes on both backends.
    const vector = Float32Array.from({ length: 40 }, (_, i) => Math.sin(i) / 3);
    const set = await db.factorSet.create({ data: { kind: "CF", dims: 40, params: "{}" } });
    await db.itemFactor.create({
      data: { factorSetId: set.id, trackId: first.id, unit: vectorToBytes(vector), raw: vectorToBytes(vector), norm: 1 },
    });
    const stored = await db.itemFactor.findUniqueOrThrow({ where: { factorSetId_trackId: { factorSetId: set.id, trackId: first.id } } });
    assert.deepEqual(bytesToVector(stored.unit, 40), vector);

    // A failed transaction leaves nothing half-written.
    await assert.rejects(
      db.$transaction(async (tx) => {
        await tx.artist.create({ data: { name: "Half-written" } });
        await tx.artist.create({ data: { name: "Composer 0" } }); // unique violation
      }),
    );
    assert.equal(await db.artist.count({ where: { name: "Half-written" } }), 0);

    // Re-deploying is a no-op.
    assert.deepEqual(await deployMigrations(url), []);
  } finally {
    await handle.close();
  }
});

test("vector blobs reject wrong sizes with a clear message", () => {
  assert.throws(() => bytesToVector(new Uint8Array(6)), /not whole float32s/);
  assert.throws(() => bytesToVector(new Uint8Array(8), 40), /2 dimensions, expected 40/);
});
