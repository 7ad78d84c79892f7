import { test } from "node:test";
import assert from "node:assert/strict";
import { storeCatalog } from "@curator/worker/ingest/store/catalog-store.js";
import { storeListens } from "@curator/worker/ingest/store/listen-store.js";
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
    // Re-import replaces plays rather than adding them.
    await storeListens(db, [{ user: "u1", track: "pkg/track0.ogg", plays: 3 }, { user: "u2", track: "pkg/track1.ogg", plays: 1, heldOut: true }], "again");
    const stored = await db.listen.findMany({ orderBy: { plays: "desc" } });
    assert.deepEqual(stored.map((l) => [l.plays, l.heldOut]), [[3, false], [1, true]]);
  } finally {
    await handle.close();
  }
});
