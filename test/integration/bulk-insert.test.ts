// Factor rows written through the drivers' bulk path (writeFactorSet) against the same rows written through
// Prisma's createMany (writeItemRows, the transactional path): identical on this pass's backend, and in the
// PostgreSQL pass identical between PostgreSQL and SQLite.
import assert from "node:assert/strict";
import { test } from "node:test";
import { bulkInsert } from "@curator/db/bulk-insert.js";
import type { Db } from "@curator/db/client.js";
import { bytesToVector, vectorToBytes } from "@curator/db/factor-sets.js";
import { createFactorSet, writeFactorSet, writeItemRows } from "@curator/worker/storage/factor-sets.js";
import { Rng } from "@curator/worker/util/random.js";
import { freshDb, testBackend, type TestDb } from "../support/db.js";

// Above SQLite's 100 rows and PostgreSQL's 5,000 rows per statement, with a remainder, so every tail is exercised.
const TRACKS = 5_123;
const USERS = 257;
const DIMS = 12;

interface Stored {
  items: { trackId: number; unit: number[]; raw: number[]; norm: number; spread: number | null }[];
  users: { userId: number; raw: number[] }[];
}

async function seed(db: Db): Promise<{ trackIds: number[]; userIds: number[] }> {
  const artist = await db.artist.create({ data: { name: "Bulk" } });
  const tracks = Array.from({ length: TRACKS }, (_, i) => ({
    externalId: `t${i}`, title: `T${i}`, artistId: artist.id, durationSec: 60, audioPath: `/a/${i}.ogg`, contentHash: `h${i}`, channels: 2, sampleRate: 44100, codec: "vorbis",
  }));
  await db.track.createMany({ data: tracks });
  await db.user.createMany({ data: Array.from({ length: USERS }, (_, i) => ({ externalId: `u${i}` })) });
  return {
    trackIds: (await db.track.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((t) => t.id),
    userIds: (await db.user.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((u) => u.id),
  };
}

/** Seeded factors with awkward values: a zero first row (norm 0), magnitudes from 1e-4 to 1e3. */
function factors(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = Float32Array.from({ length: n * DIMS }, () => (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 8 - 4));
  out.fill(0, 0, DIMS);
  return out;
}

async function read(db: Db, factorSetId: number): Promise<Stored> {
  const items = await db.itemFactor.findMany({ where: { factorSetId }, orderBy: { trackId: "asc" } });
  const users = await db.userFactor.findMany({ where: { factorSetId }, orderBy: { userId: "asc" } });
  return {
    items: items.map((r) => ({ trackId: r.trackId, unit: [...bytesToVector(r.unit, DIMS)], raw: [...bytesToVector(r.raw, DIMS)], norm: r.norm, spread: r.spread })),
    users: users.map((u) => ({ userId: u.userId, raw: [...bytesToVector(u.raw, DIMS)] })),
  };
}

/** The same set written both ways on one database; returns what each stored. */
async function writeBothWays(db: Db): Promise<{ bulk: Stored; prisma: Stored; input: { raw: Float32Array; users: Float32Array } }> {
  const { trackIds, userIds } = await seed(db);
  const raw = factors(TRACKS, 1);
  const users = factors(USERS, 2);
  const spread = Float32Array.from({ length: TRACKS }, (_, i) => i / 7);
  const bulkId = await writeFactorSet(db, { kind: "PREDICTED_MIDDLE", dims: DIMS, params: {}, trackIds, raw, spread, users: { userIds, raw: users } });
  const prismaId = await createFactorSet(db, { kind: "PREDICTED_MIDDLE", dims: DIMS, params: {} });
  await db.$transaction((tx) => writeItemRows(tx, prismaId, { dims: DIMS, trackIds, raw, spread }), { timeout: 120_000 });
  await db.userFactor.createMany({ data: userIds.map((userId, i) => ({ factorSetId: prismaId, userId, raw: vectorToBytes(users.subarray(i * DIMS, (i + 1) * DIMS)) })) });
  return { bulk: await read(db, bulkId), prisma: await read(db, prismaId), input: { raw, users } };
}

test("bulk-written factor rows equal Prisma-written ones and the input, bit for bit", async () => {
  const handle = await freshDb();
  try {
    const { bulk, prisma, input } = await writeBothWays(handle.db);
    assert.equal(bulk.items.length, TRACKS);
    assert.equal(bulk.users.length, USERS);
    assert.deepEqual(bulk, prisma);
    assert.deepEqual(bulk.items.flatMap((r) => r.raw), [...input.raw]);
    assert.deepEqual(bulk.users.flatMap((u) => u.raw), [...input.users]);
    assert.equal(bulk.items[0]!.norm, 0, "a zero row keeps norm 0");
  } finally {
    await handle.close();
  }
});

test("PostgreSQL and SQLite store identical bulk-written rows", async (t) => {
  if (testBackend() !== "postgres") return t.skip("needs the PostgreSQL pass's cluster beside SQLite");
  const handles: TestDb[] = [];
  try {
    handles.push(await freshDb({}, "postgres"), await freshDb({}, "sqlite"));
    const [pg, sqlite] = await Promise.all(handles.map((h) => writeBothWays(h.db)));
    assert.deepEqual(pg!.bulk, sqlite!.bulk);
  } finally {
    for (const h of handles) await h.close();
  }
});

test("a bulk row without a column's value is refused with the table, row and column named", async () => {
  const handle = await freshDb();
  try {
    const table = { name: "UserFactor", columns: [{ name: "factorSetId", type: "int4" }, { name: "userId", type: "int4" }, { name: "raw", type: "bytea" }] } as const;
    await assert.rejects(bulkInsert(handle.db, table, [{ factorSetId: 1, userId: 1, raw: new Uint8Array(4) }, { factorSetId: 1, userId: 2 }]), /UserFactor row 1: no value for raw/);
  } finally {
    await handle.close();
  }
});
