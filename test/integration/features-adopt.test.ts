import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readCachedHeader, readCachedMatrix, writeCachedMatrix } from "@curator/worker/features/cache.js";
import { runFeatures, spectrogramPicturePath } from "@curator/worker/features/stage.js";
import { probeAudio } from "@curator/worker/features/probe.js";
import { runJob } from "@curator/worker/jobs/job.js";
import { freshDb } from "../support/db.js";

test("a new database adopts whole cache files of the same audio and parameters, and recomputes damaged or older ones", async () => {
  const dir = mkdtempSync(join(tmpdir(), "curator-adopt-"));
  const options = { cacheDir: join(dir, "cache"), pictureDir: join(dir, "pictures"), concurrency: 2 };
  const files = { long: join(dir, "long.ogg"), short: join(dir, "short.ogg") };
  execFileSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=40", "-c:a", "libvorbis", files.long]);
  execFileSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=f=660:d=8", "-c:a", "libvorbis", files.short]);

  type Row = { track: string; mode: string; paramsHash: string; path: string; frames: number; windows: number; padded: boolean };

  /** On a fresh database holding both tracks (the same content hashes every time): the features run and its rows. */
  async function featuresOnFreshDb(): Promise<{ result: unknown; rows: Row[] }> {
    const { db, close } = await freshDb();
    try {
      const artist = await db.artist.create({ data: { name: "Tester" } });
      for (const [name, path] of Object.entries(files)) {
        const { durationSeconds } = await probeAudio(path);
        await db.track.create({
          data: { externalId: name, title: name, artistId: artist.id, durationSec: durationSeconds, audioPath: path, contentHash: `hash-${name}`, channels: 1, sampleRate: 44100, codec: "vorbis" },
        });
      }
      const { result } = await runJob(db, { stage: "features", quiet: true }, (job) => runFeatures(db, job, options));
      const rows = await db.featureCache.findMany({ include: { track: true }, orderBy: [{ trackId: "asc" }, { mode: "asc" }] });
      return { result, rows: rows.map((r) => ({ track: r.track.externalId, mode: r.mode, paramsHash: r.paramsHash, path: r.path, frames: r.frames, windows: r.windows, padded: r.padded })) };
    } finally {
      await close();
    }
  }
  const mtimes = (rows: Row[]) => rows.map((r) => statSync(r.path).mtimeMs);

  try {
    const first = await featuresOnFreshDb();
    assert.deepEqual(first.result, { computed: 2, skipped: 0, failed: 0 });
    assert.deepEqual(first.rows.map((r) => [r.track, r.mode, r.windows, r.padded]), [["long", "MIDDLE", 1, false], ["long", "WHOLE", 1, false], ["short", "MIDDLE", 1, true], ["short", "WHOLE", 1, true]]);
    const written = mtimes(first.rows);

    // Nothing computed: the rows are the first database's, the files untouched.
    const second = await featuresOnFreshDb();
    assert.deepEqual(second.result, { computed: 0, skipped: 2, failed: 0 });
    assert.deepEqual(second.rows, first.rows);
    assert.deepEqual(mtimes(second.rows), written);

    // Damage: a file from before padding was recorded, a torn file, a missing picture.
    const path = (track: string, mode: string) => first.rows.find((r) => r.track === track && r.mode === mode)!.path;
    await writeCachedMatrix(path("long", "MIDDLE"), (await readCachedMatrix(path("long", "MIDDLE"), 128))!);
    truncateSync(path("long", "WHOLE"), statSync(path("long", "WHOLE")).size - 4);
    rmSync(spectrogramPicturePath("hash-short", options.pictureDir));
    const shortWhole = statSync(path("short", "WHOLE")).mtimeMs;

    // Both tracks had a mode recomputed; short's whole-track file, still whole, was adopted.
    const third = await featuresOnFreshDb();
    assert.deepEqual(third.result, { computed: 2, skipped: 0, failed: 0 });
    assert.deepEqual(third.rows, first.rows);
    assert.equal((await readCachedHeader(path("long", "MIDDLE")))?.padded, false, "rewritten with its padding recorded");
    assert.equal((await readCachedMatrix(path("long", "WHOLE"), 128))?.rows, 599, "torn file rewritten whole");
    assert.ok(statSync(spectrogramPicturePath("hash-short", options.pictureDir)).size > 0, "picture made again");
    assert.equal(statSync(path("short", "WHOLE")).mtimeMs, shortWhole);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
