import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storeCatalog } from "@curator/worker/ingest/store/catalog-store.js";
import { storeListens } from "@curator/worker/ingest/store/listen-store.js";
import { storeListenFile } from "@curator/worker/ingest/store/listen-file.js";
import type { CatalogRow } from "@curator/worker/ingest/types.js";
import { freshDb, testBackend } from "../support/db.js";

function row(i: number, overrides: Partial<CatalogRow> = {}): CatalogRow {
  return {
    externalId: `pkg/track${i}.ogg`,
    title: `Track ${i}`,
    artist: `Composer ${i % 2}`,
    album: "Soundtrack",
    albumSource: "debian:pkg",
    licence: "GPL-2+",
    position: i + 1,
    durationSec: 100 + i,
    audioPath: `/corpus/pkg/track${i}.ogg`,
    contentHash: `h${i}`,
    channels: 2,
    sampleRate: 44100,
    codec: "vorbis",
    isShort: false,
    isSilent: false,
    origin: "recording",
    ...overrides,
  };
}

test(`re-ingest is idempotent and conflicts are reported, on ${testBackend()}`, async () => {
  const handle = await freshDb();
  const { db } = handle;
  try {
    const rows = [0, 1, 2, 3].map((i) => row(i));
    const first = await storeCatalog(db, rows);
    assert.deepEqual(first, { inserted: 4, unchanged: 0, bad: [] });
    const again = await storeCatalog(db, rows);
    assert.deepEqual(again, { inserted: 0, unchanged: 4, bad: [] });
    assert.equal(await db.track.count(), 4);
    assert.equal(await db.artist.count(), 2);
    assert.equal(await db.album.count(), 1);

    const conflicts = await storeCatalog(db, [row(9, { contentHash: "h1" }), row(2, { contentHash: "other" })]);
    assert.equal(conflicts.inserted, 0);
    assert.match(conflicts.bad[0]!.reason, /same audio as stored track "pkg\/track1.ogg"/);
    assert.match(conflicts.bad[1]!.reason, /track id "pkg\/track2.ogg" is already stored with different audio/);

    const listens = await storeListens(
      db,
      [
        { user: "u1", track: "pkg/track0.ogg", plays: 3, row: 2 },
        { user: "u1", track: "pkg/nope.ogg", plays: 1, row: 3 },
        { user: "u2", track: "pkg/track1.ogg", plays: 1, heldOut: true, row: 4 },
      ],
      "listens.csv",
    );
    assert.equal(listens.stored, 2);
    assert.deepEqual(listens.bad, [{ item: "listens.csv row 3", reason: 'unknown track id "pkg/nope.ogg"' }]);
    // A re-import asked to replace leaves the same plays rather than adding them.
    await storeListens(db, [{ user: "u1", track: "pkg/track0.ogg", plays: 3 }, { user: "u2", track: "pkg/track1.ogg", plays: 1, heldOut: true }], "again", { replace: true });
    const stored = await db.listen.findMany({ orderBy: { plays: "desc" } });
    assert.deepEqual(stored.map((l) => [l.plays, l.heldOut]), [[3, false], [1, true]]);
  } finally {
    await handle.close();
  }
});

test(`a pair repeated in a later chunk is summed and reported with all its rows, on ${testBackend()}`, async () => {
  const handle = await freshDb();
  const dir = mkdtempSync(join(tmpdir(), "listen-chunks-"));
  try {
    const { db } = handle;
    await storeCatalog(db, [0, 1, 2].map((i) => row(i)));
    const t = (i: number) => `pkg/track${i}.ogg`;
    const path = join(dir, "listens.tsv");
    // Two distinct pairs per chunk: chunks are rows 1–2, 3–5, 6–7 and 8.
    const lines = [
      ["u1", t(0), 1], // 1
      ["u1", t(1), 2], // 2
      ["u2", t(0), 3], // 3
      ["u2", t(0), 4], // 4: the same chunk as row 3
      ["u1", t(0), 5], // 5: u1 × track0 again, one chunk later
      ["u3", t(2), 1], // 6
      ["u1", t(1), 6], // 7: u1 × track1 again, two chunks later
      ["u1", t(0), 7], // 8: u1 × track0 a third time, in the last chunk
    ];
    writeFileSync(path, lines.map((l) => l.join("\t")).join("\n") + "\n");

    const out = await storeListenFile(db, { path, format: "taste-profile", chunkPairs: 2 });
    assert.deepEqual(out.bad, []);
    assert.deepEqual(out.duplicates, [
      { user: "u1", track: t(0), rows: [1, 5, 8] },
      { user: "u1", track: t(1), rows: [2, 7] },
      { user: "u2", track: t(0), rows: [3, 4] },
    ]);
    const stored = await db.listen.findMany({ include: { user: true, track: true }, orderBy: [{ userId: "asc" }, { trackId: "asc" }] });
    assert.deepEqual(
      stored.map((l) => [l.user.externalId, l.track.externalId, l.plays]),
      [["u1", t(0), 13], ["u1", t(1), 8], ["u2", t(0), 7], ["u3", t(2), 1]],
    );

    // JSON lines are one play per row: a pair across chunks is summed and not reported.
    const jsonl = join(dir, "listens.jsonl");
    const listen = (user: string, track: string, timestamp: number) => JSON.stringify({ user, track, timestamp });
    writeFileSync(jsonl, [listen("u4", t(0), 1), listen("u4", t(1), 2), listen("u4", t(2), 3), listen("u4", t(0), 4)].join("\n") + "\n");
    const plays = await storeListenFile(db, { path: jsonl, format: "jsonl", chunkPairs: 2 });
    assert.deepEqual(plays.duplicates, []);
    const u4 = async () => (await db.listen.findMany({ where: { user: { externalId: "u4" } }, include: { track: true }, orderBy: { trackId: "asc" } })).map((l) => [l.track.externalId, l.plays]);
    assert.deepEqual(await u4(), [[t(0), 2], [t(1), 1], [t(2), 1]]);
    // Chunks cut by listens rather than pairs store the same plays (the re-import replaces u4's).
    await storeListenFile(db, { path: jsonl, format: "jsonl", chunkPairs: 10, chunkListens: 1, replace: true });
    assert.deepEqual(await u4(), [[t(0), 2], [t(1), 1], [t(2), 1]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await handle.close();
  }
});

test(`the same JSON-lines listen on both sides of a chunk boundary is counted once and reported, on ${testBackend()}`, async () => {
  const handle = await freshDb();
  const dir = mkdtempSync(join(tmpdir(), "listen-chunks-"));
  try {
    const { db } = handle;
    await storeCatalog(db, [0, 1].map((i) => row(i)));
    const t = (i: number) => `pkg/track${i}.ogg`;
    const listen = (track: string, timestamp: number) => JSON.stringify({ user: "u1", track, timestamp });
    const path = join(dir, "listens.jsonl");
    // Two distinct pairs per chunk: row 2 closes the first chunk, and row 3 repeats row 1's listen in the second.
    writeFileSync(path, [listen(t(0), 100), listen(t(1), 200), listen(t(0), 100), listen(t(0), 300)].join("\n") + "\n");
    const out = await storeListenFile(db, { path, format: "jsonl", chunkPairs: 2 });
    const stored = await db.listen.findMany({ include: { track: true }, orderBy: { trackId: "asc" } });
    assert.deepEqual(stored.map((l) => [l.track.externalId, l.plays]), [[t(0), 2], [t(1), 1]]);
    assert.deepEqual(out.bad.map((b) => b.item), [`${path} row 3`]);
    assert.match(out.bad[0]!.reason, /same listen as an earlier row/);

    // Chunks of two held listens: one listen in three chunks (once in ListenBrainz's form, an ISO date), another in
    // two, a repeat within a chunk and a malformed line among them; reports stay in file order.
    const lb = JSON.stringify({ user_name: "u2", listened_at: "1970-01-01T00:00:10Z", track_metadata: { additional_info: { recording_mbid: t(0) } } });
    const u2 = (track: string, timestamp: number) => JSON.stringify({ user: "u2", track, timestamp });
    const lines = [u2(t(0), 10), u2(t(1), 20), u2(t(0), 10), u2(t(0), 10), u2(t(0), 30), lb, "{broken", u2(t(1), 20), u2("pkg/nope.ogg", 10)];
    writeFileSync(path, lines.join("\n") + "\n");
    // Held a pair at a time (two more reads of the file), the re-import replaces u2's listens with the same.
    for (const heldListens of [undefined, 1]) {
      const more = await storeListenFile(db, { path, format: "jsonl", chunkPairs: 10, chunkListens: 2, heldListens, replace: true });
      const u2Plays = await db.listen.findMany({ where: { user: { externalId: "u2" } }, include: { track: true }, orderBy: { trackId: "asc" } });
      assert.deepEqual(u2Plays.map((l) => [l.track.externalId, l.plays]), [[t(0), 2], [t(1), 1]]);
      assert.deepEqual(more.bad.map((b) => b.item), [3, 4, 6, 7, 8, 9].map((r) => `${path} row ${r}`));
      for (const [i, track] of [[0, t(0)], [1, t(0)], [2, t(0)], [4, t(1)]] as const) {
        assert.match(more.bad[i]!.reason, new RegExp(`^same listen as an earlier row \\(user u2, track ${track}, `));
      }
      assert.match(more.bad[3]!.reason, /not JSON/);
      assert.match(more.bad[5]!.reason, /unknown track id "pkg\/nope.ogg"/);
      assert.deepEqual(more.duplicates, []);
    }

    // The repeats are taken back inside the import's transaction: a second read that does not match the first (a line
    // appended once the first read ended) fails the import, and u2's listens stored before are left as they were.
    const appended = [u2(t(1), 20), u2(t(0), 50), u2(t(1), 20)];
    writeFileSync(path, appended.join("\n") + "\n");
    const grow = (read: number) => {
      if (read === appended.length) writeFileSync(path, u2(t(1), 60) + "\n", { flag: "a" });
    };
    await assert.rejects(storeListenFile(db, { path, format: "jsonl", chunkPairs: 2, onChunk: grow, replace: true }), /was the file changed meanwhile/);
    const kept = await db.listen.findMany({ where: { user: { externalId: "u2" } }, include: { track: true }, orderBy: { trackId: "asc" } });
    assert.deepEqual(kept.map((l) => [l.track.externalId, l.plays]), [[t(0), 2], [t(1), 1]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await handle.close();
  }
});

test(`a listens import appends unless asked to replace, and held-out tracks stay held out, on ${testBackend()}`, async () => {
  const handle = await freshDb();
  const dir = mkdtempSync(join(tmpdir(), "listen-append-"));
  try {
    const { db } = handle;
    await storeCatalog(db, [0, 1, 2].map((i) => row(i)));
    const t = (i: number) => `pkg/track${i}.ogg`;
    // u1 has three stored pairs; track2 is held out (the cold-start set).
    await storeListens(db, [{ user: "u1", track: t(0), plays: 4 }, { user: "u1", track: t(1), plays: 2 }, { user: "u1", track: t(2), plays: 1, heldOut: true }], "history");
    const path = join(dir, "one.csv");
    writeFileSync(path, `user_id,track_id,plays\nu1,${t(0)},1\nu2,${t(2)},5\n`);
    const plays = async () => (await db.listen.findMany({ include: { user: true, track: true }, orderBy: [{ userId: "asc" }, { trackId: "asc" }] })).map((l) => [l.user.externalId, l.track.externalId, l.plays, l.heldOut]);

    const appended = await storeListenFile(db, { path, format: "csv" });
    assert.equal(appended.replaced, 0);
    assert.deepEqual(await plays(), [
      ["u1", t(0), 5, false],
      ["u1", t(1), 2, false],
      ["u1", t(2), 1, true],
      ["u2", t(2), 5, true],
    ]);
    const heldOutTracks = await db.listen.findMany({ where: { heldOut: true }, distinct: ["trackId"], select: { trackId: true } });
    assert.equal(heldOutTracks.length, 1, "the cold-start set is still one track");

    const replaced = await storeListenFile(db, { path, format: "csv", replace: true });
    assert.equal(replaced.replaced, 4, "u1's three listens and u2's one were dropped");
    assert.deepEqual(await plays(), [
      ["u1", t(0), 1, false],
      ["u2", t(2), 5, true],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await handle.close();
  }
});

test(`bad listens are refused by row the same on every backend, and the good rows are kept, on ${testBackend()}`, async () => {
  const handle = await freshDb();
  const dir = mkdtempSync(join(tmpdir(), "listen-bad-"));
  try {
    const { db } = handle;
    await storeCatalog(db, [0, 1].map((i) => row(i)));
    const t = (i: number) => `pkg/track${i}.ogg`;
    const path = join(dir, "latin1.csv");
    // Latin-1 bytes: "josé" and "josè" decode to the same replacement character and were stored as one user.
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from(`user_id,track_id,plays\nok,${t(0)},3\n`),
        Buffer.from(`rel-jos\xe9,${t(0)},1\nrel-jos\xe8,${t(1)},1\n`, "latin1"),
        Buffer.from(`nul\u0000user,${t(1)},1\nbig,${t(1)},2147483648\nmax,${t(1)},2147483647\n`),
      ]),
    );
    const out = await storeListenFile(db, { path, format: "csv" });
    assert.deepEqual(out.bad.map((b) => b.item), [3, 4, 5, 6].map((r) => `${path} row ${r}`));
    assert.match(out.bad[0]!.reason, /not UTF-8 \(Latin-1 or Windows-1252\?\): save the file as UTF-8/);
    assert.match(out.bad[2]!.reason, /control character U\+0000/);
    assert.match(out.bad[3]!.reason, /plays 2147483648 is above 2147483647/);
    const stored = await db.listen.findMany({ include: { user: true }, orderBy: { plays: "asc" } });
    assert.deepEqual(stored.map((l) => [l.user.externalId, l.plays]), [["ok", 3], ["max", 2147483647]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await handle.close();
  }
});
