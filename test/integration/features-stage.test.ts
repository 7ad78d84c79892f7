import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JobCancelledError, runJob } from "@curator/worker/jobs/job.js";
import { CHROMA_MODE, CHROMA_PARAMS_HASH, FEATURE_PARAMS_HASH, runFeatures } from "@curator/worker/features/stage.js";
import { decodeNotePath } from "@curator/worker/features/decode-notes.js";
import { loadFeatureInputs } from "@curator/worker/model/feature-inputs.js";
import { corruptOggPacket } from "../support/audio-fixtures.js";
import { cachePath, readCachedMatrix } from "@curator/worker/features/cache.js";
import { chromaStft } from "@curator/worker/features/chroma.js";
import { decodeExcerpt } from "@curator/worker/features/decode.js";
import { freshDb } from "../support/db.js";

function tone(path: string, seconds: number, freq: number): void {
  execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", `sine=frequency=${freq}:duration=${seconds}:sample_rate=44100`, "-ac", "2", path]);
}

test("features stage caches good tracks, reports bad ones by path, and a re-run skips finished tracks", async () => {
  const dir = mkdtempSync(join(tmpdir(), "curator-features-"));
  const { db, close } = await freshDb();
  try {
    const files = { long: join(dir, "long.ogg"), short: join(dir, "short.ogg"), broken: join(dir, "broken.mp3"), empty: join(dir, "empty.ogg") };
    tone(files.long, 40, 440);
    tone(files.short, 8, 660);
    writeFileSync(files.broken, Buffer.from("this is not audio at all, just text pretending to be an mp3".repeat(50)));
    writeFileSync(files.empty, Buffer.alloc(0));
    const artist = await db.artist.create({ data: { name: "Tester" } });
    for (const [name, path] of Object.entries(files)) {
      await db.track.create({
        data: { externalId: name, title: name, artistId: artist.id, durationSec: 1, audioPath: path, contentHash: `hash-${name}`, channels: 2, sampleRate: 44100, codec: "vorbis" },
      });
    }
    const options = { cacheDir: join(dir, "cache"), pictureDir: join(dir, "pictures"), concurrency: 2 };
    const first = await runJob(db, { stage: "features", quiet: true }, (job) => runFeatures(db, job, options));
    assert.equal(first.status, "PARTIAL");
    assert.deepEqual(first.result, { computed: 2, skipped: 0, failed: 2 });
    assert.deepEqual(first.bad.map((b) => b.item).sort(), [files.broken, files.empty].sort());
    for (const b of first.bad) assert.ok(b.reason.length > 5, `reason for ${b.item}: ${b.reason}`);

    const rows = await db.featureCache.findMany({ include: { track: true }, orderBy: [{ trackId: "asc" }, { mode: "asc" }] });
    assert.equal(rows.length, 4);
    const middle = rows.find((r) => r.track.externalId === "long" && r.mode === "MIDDLE")!;
    const matrix = await readCachedMatrix(middle.path, 128);
    assert.equal(matrix?.rows, 599);
    const shortMiddle = rows.find((r) => r.track.externalId === "short" && r.mode === "MIDDLE")!;
    assert.equal(shortMiddle.padded, true);
    const whole = rows.find((r) => r.track.externalId === "long" && r.mode === "WHOLE")!;
    assert.equal(whole.windows, 1); // 40 s holds one whole 27.9 s window
    assert.ok(existsSync(join(dir, "pictures", "hash-long.png")));
    // The outlier stage's chroma, cached from the same samples as the log-mel: its own decode (with the stored
    // duration, as the stage's) gives the same.
    const chroma = await readCachedMatrix(cachePath(options.cacheDir, "hash-long", CHROMA_MODE, CHROMA_PARAMS_HASH), 12);
    const expected = chromaStft((await decodeExcerpt(files.long, { probe: { durationSeconds: 1 } })).samples);
    assert.equal(chroma?.rows, expected.nFrames);
    assert.deepEqual(chroma?.data, expected.data);

    const second = await runJob(db, { stage: "features", quiet: true }, (job) => runFeatures(db, job, options));
    assert.deepEqual(second.result, { computed: 0, skipped: 2, failed: 2 });
  } finally {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("features: a rejected file is not decoded again on the next run, its reason stays, and train/predict say why it has no features; a damaged packet is a warning", async () => {
  const dir = mkdtempSync(join(tmpdir(), "curator-features-"));
  const { db, close } = await freshDb();
  try {
    const files = { good: join(dir, "good.ogg"), junk: join(dir, "junk.mp3"), damaged: join(dir, "damaged.ogg") };
    execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=f=440:d=40:sample_rate=44100", "-ac", "2", "-c:a", "libvorbis", files.good]);
    corruptOggPacket(files.good, files.damaged, true);
    writeFileSync(files.junk, Buffer.from("text pretending to be an mp3 ".repeat(100)));
    const artist = await db.artist.create({ data: { name: "Tester" } });
    for (const [name, path] of Object.entries(files)) {
      await db.track.create({
        data: { externalId: name, title: name, artistId: artist.id, durationSec: 40, audioPath: path, contentHash: `hash-${name}`, channels: 2, sampleRate: 44100, codec: "vorbis" },
      });
    }
    const options = { cacheDir: join(dir, "cache"), pictureDir: join(dir, "pictures"), concurrency: 1, modes: ["MIDDLE" as const] };
    const first = await runJob(db, { stage: "features", quiet: true }, (job) => runFeatures(db, job, options));
    assert.deepEqual(first.result, { computed: 2, skipped: 0, failed: 1 });
    assert.match(first.bad[0]!.reason, /^not-audio: not an audio file/);
    const message = (await db.job.findUniqueOrThrow({ where: { id: first.jobId } })).message ?? "";
    assert.match(message, /damaged\.ogg: decoded past damaged packets/);
    const damagedNote = JSON.parse(readFileSync(decodeNotePath(options.cacheDir, "hash-damaged", FEATURE_PARAMS_HASH), "utf8")) as { warnings: string[] };
    assert.match(damagedNote.warnings[0]!, /^decoded past damaged packets/);

    // The same content (hash) is not decoded again: good audio under the rejected path stays rejected until the
    // note is deleted (or the file re-ingested, which gives it a new hash).
    copyFileSync(files.good, files.junk);
    const second = await runJob(db, { stage: "features", quiet: true }, (job) => runFeatures(db, job, options));
    assert.deepEqual(second.result, { computed: 0, skipped: 2, failed: 1 });
    assert.match(second.bad[0]!.reason, /^not-audio: not an audio file.*\(found by the run of .*; not decoded again: replace the file and ingest it, or delete .*hash-junk\.decode\./);

    // train and predict read the same note for their advice.
    const bad: { item: string; reason: string }[] = [];
    const junk = await db.track.findUniqueOrThrow({ where: { externalId: "junk" } });
    await loadFeatureInputs(db, "MIDDLE", 128, async (item, reason) => void bad.push({ item, reason }), [junk.id], options.cacheDir);
    assert.match(bad[0]!.reason, /no middle log-mel in the feature cache: its audio was rejected by `curator features`: not-audio: not an audio file/);

    rmSync(decodeNotePath(options.cacheDir, "hash-junk", FEATURE_PARAMS_HASH));
    const third = await runJob(db, { stage: "features", quiet: true }, (job) => runFeatures(db, job, options));
    assert.deepEqual(third.result, { computed: 1, skipped: 2, failed: 0 });
  } finally {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("features stage cancelled mid-run: it stops with the job CANCELLED, and what it cached is whole", async () => {
  const dir = mkdtempSync(join(tmpdir(), "curator-features-cancel-"));
  const { db, close } = await freshDb();
  try {
    const artist = await db.artist.create({ data: { name: "Tester" } });
    for (let i = 0; i < 4; i++) {
      const path = join(dir, `tone-${i}.ogg`);
      tone(path, 8, 330 + 110 * i);
      await db.track.create({
        data: { externalId: `t${i}`, title: `t${i}`, artistId: artist.id, durationSec: 8, audioPath: path, contentHash: `hash-t${i}`, channels: 2, sampleRate: 44100, codec: "vorbis" },
      });
    }
    let jobId = 0;
    const cached: number[] = [];
    const options = {
      cacheDir: join(dir, "cache"),
      pictureDir: join(dir, "pictures"),
      concurrency: 1,
      modes: ["MIDDLE" as const],
      // What the API's cancelJob writes, after the first track is stored.
      onTrack: (trackId: number) => {
        cached.push(trackId);
        // then(): a Prisma query runs only once something waits on it.
        if (cached.length === 1) void db.job.updateMany({ where: { id: jobId, status: "RUNNING" }, data: { status: "CANCELLED", error: "cancelled by test" } }).then(() => undefined);
      },
    };
    await assert.rejects(
      runJob(db, { stage: "features", quiet: true }, (job) => {
        jobId = job.id;
        return runFeatures(db, job, options);
      }),
      JobCancelledError,
    );
    const row = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    assert.equal(row.status, "CANCELLED");
    assert.equal(row.error, "cancelled by test");
    assert.notEqual(row.finishedAt, null);
    // Every track it stored before stopping has its whole matrix (and only those have rows).
    const rows = await db.featureCache.findMany({ orderBy: { trackId: "asc" } });
    assert.deepEqual(rows.map((r) => r.trackId), [...cached].sort((a, b) => a - b));
    for (const r of rows) assert.ok(((await readCachedMatrix(r.path, 128))?.rows ?? 0) > 0, `track ${r.trackId} cached whole`);
  } finally {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
});
