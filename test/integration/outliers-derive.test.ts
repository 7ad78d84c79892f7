// `curator outliers derive` on a small catalogue of real audio (ffmpeg sine files): intros go before their album's
// first track and outros after its last, one of each per album, marked as derived with their source; a re-run with
// the same seed makes nothing twice; remixes and covers drawn with the same seed are the same with or without them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deriveExamples } from "@curator/worker/outliers/derive.js";
import { DERIVED_ORIGINS } from "@curator/worker/outliers/labels.js";
import { execFile } from "@curator/worker/util/run-tool.js";
import { freshDb, testBackend } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";

test(`derived intros and outros open and close their albums on ${testBackend()}`, async () => {
  const handle = await freshDb();
  const { db } = handle;
  const dir = mkdtempSync(join(tmpdir(), "curator-derive-"));
  try {
    await seedCatalog(db, 3, 3);
    // Real audio for every long track: 60 s tones at different pitches.
    for (const track of await db.track.findMany({ where: { isShort: false } })) {
      const path = join(dir, `source-${track.id}.ogg`);
      await execFile("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", `sine=f=${200 + 10 * track.id}:d=60`, "-c:a", "libvorbis", path]);
      await db.track.update({ where: { id: track.id }, data: { audioPath: path, durationSec: 60 } });
    }
    const before = await db.track.findMany({ select: { albumId: true, position: true } });
    const outDir = join(dir, "derived");
    const result = await deriveExamples(db, { remixes: 1, covers: 0, intros: 5, outros: 2, seed: 7, outDir });
    assert.deepEqual(result, { created: 1 + 3 + 2, existing: 0, failed: 0 }, "one intro per album at most (3 albums), 2 outros");

    const derived = await db.track.findMany({ where: { origin: { in: [DERIVED_ORIGINS.INTRO, DERIVED_ORIGINS.OUTRO] } }, include: { derivedFrom: true } });
    for (const track of derived) {
      const album = before.filter((t) => t.albumId === track.albumId).map((t) => t.position!);
      const intro = track.origin === DERIVED_ORIGINS.INTRO;
      assert.equal(track.position, intro ? Math.min(...album) - 1 : Math.max(...album) + 1, `${track.externalId} sits at the album's edge`);
      assert.equal(track.derivedFrom?.albumId, track.albumId, "cut from a track of the same album");
      assert.equal(track.artistId, track.derivedFrom?.artistId);
      assert.ok(track.isShort && track.durationSec >= 14 && track.durationSec <= 45.5, `${track.externalId}: ${track.durationSec} s`);
    }
    assert.equal(new Set(derived.filter((t) => t.origin === DERIVED_ORIGINS.INTRO).map((t) => t.albumId)).size, 3);

    const again = await deriveExamples(db, { remixes: 1, covers: 0, intros: 5, outros: 2, seed: 7, outDir });
    assert.deepEqual(again, { created: 0, existing: 6, failed: 0 });
    const alone = await deriveExamples(db, { remixes: 1, covers: 0, seed: 7, outDir });
    assert.deepEqual(alone, { created: 0, existing: 1, failed: 0 }, "the remix drawn without intros/outros is the one already made");
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await handle.close();
  }
});
