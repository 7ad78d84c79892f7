// `curator outliers` on a small catalogue with synthetic log-mel and chroma caches: flags are written with reasons, a re-run
// leaves every flag with a verdict exactly as it was, and `user.recommendations(excludeFlagged: true)` drops
// flagged tracks (OPEN or CONFIRMED, not REJECTED) and refills the list.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Db } from "@curator/db/client.js";
import { cachePath, writeCachedMatrix } from "@curator/worker/features/cache.js";
import { ENVELOPE_FRAME_RATE, ENVELOPE_PARAMS_HASH } from "@curator/worker/outliers/envelope-features.js";
import { CHROMA_PARAMS_HASH, FEATURE_PARAMS_HASH } from "@curator/worker/features/stage.js";
import { LOG_MEL_DEFAULTS, WINDOW_FRAMES } from "@curator/worker/features/logmel.js";
import { runJob } from "@curator/worker/jobs/job.js";
import { runOutliers, type OutliersResult } from "@curator/worker/outliers/stage.js";
import { writeFactorSet } from "@curator/worker/storage/factor-sets.js";
import { Rng } from "@curator/worker/util/random.js";
import { freshDb, testBackend } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";
import { gaussianRows, startIndexedApi, tempIndexDir } from "../support/indexed-api.js";

const BANDS = LOG_MEL_DEFAULTS.nMels;

/** A log-mel excerpt: a per-track timbre, onsets every `beat` frames, and `sounding` frames before zero padding. */
function excerpt(seed: number, sounding = WINDOW_FRAMES, beat = 12): Float32Array {
  const rng = new Rng(seed);
  const timbre = Float32Array.from({ length: BANDS }, () => 2 + 4 * rng.next());
  const out = new Float32Array(WINDOW_FRAMES * BANDS);
  for (let f = 0; f < sounding; f++) for (let b = 0; b < BANDS; b++) out[f * BANDS + b] = timbre[b]! + (f % beat === 0 ? 1.5 : 0) + 0.3 * rng.next();
  return out;
}

/** Chroma of an excerpt: a chord (random pitch-class weights) every 12 frames, rotated up `semitones`. */
function chroma(seed: number, semitones = 0): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(WINDOW_FRAMES * 12);
  let chord = new Float32Array(12);
  for (let f = 0; f < WINDOW_FRAMES; f++) {
    if (f % 12 === 0) chord = Float32Array.from({ length: 12 }, () => rng.next());
    for (let c = 0; c < 12; c++) out[f * 12 + ((c + semitones) % 12)] = chord[c]!;
  }
  return out;
}

/** A loudness envelope: 30 s at −20 dB, faded in over the first `fadeIn` seconds. */
function envelope(fadeIn: number): Float32Array {
  return Float32Array.from({ length: 30 * ENVELOPE_FRAME_RATE }, (_, f) => -20 + 20 * Math.log10(Math.max(1e-3, Math.min(1, f / ENVELOPE_FRAME_RATE / Math.max(fadeIn, 1e-9)))));
}

/** The track's log-mel, chroma and envelope in the feature cache under `dir`, as the features stage and the outlier stage leave them. */
async function cache(db: Db, dir: string, trackId: number, data: Float32Array, chromaData: Float32Array, fadeIn = 0): Promise<void> {
  const path = join(dir, `${trackId}.f32`);
  await writeCachedMatrix(path, { data, rows: WINDOW_FRAMES, cols: BANDS });
  await db.featureCache.create({ data: { trackId, mode: "MIDDLE", paramsHash: FEATURE_PARAMS_HASH, path, frames: WINDOW_FRAMES } });
  const { contentHash } = await db.track.findUniqueOrThrow({ where: { id: trackId } });
  await writeCachedMatrix(cachePath(dir, contentHash, "chroma", CHROMA_PARAMS_HASH), { data: chromaData, rows: WINDOW_FRAMES, cols: 12 });
  const levels = envelope(fadeIn);
  await writeCachedMatrix(cachePath(dir, contentHash, "envelope", ENVELOPE_PARAMS_HASH), { data: levels, rows: levels.length, cols: 1 });
}

/** 4 artists × 6 tracks (the first short), plus a remix and a cover of three long tracks each. */
async function seedWithFeatures(db: Db, dir: string): Promise<number[]> {
  const seeded = await seedCatalog(db, 4, 6);
  for (const [i, t] of seeded.entries()) await cache(db, dir, t.id, i % 6 === 0 ? excerpt(i, 200, 5) : excerpt(i), chroma(i), i % 6 === 0 ? 4 : 0);
  const coverArtist = await db.artist.create({ data: { name: "Synthetic Cover Ensemble A" } });
  const album = await db.album.create({ data: { title: "derived", source: "derived" } });
  for (const [n, i] of [1, 8, 15].entries()) {
    const source = await db.track.findUniqueOrThrow({ where: { id: seeded[i]!.id } });
    for (const kind of ["remix", "cover"] as const) {
      const track = await db.track.create({
        data: {
          externalId: `derived/${kind}/${source.id}`, title: source.title, artistId: kind === "remix" ? source.artistId : coverArtist.id,
          albumId: album.id, position: 2 * n + (kind === "remix" ? 1 : 2), durationSec: source.durationSec * 1.1, audioPath: `/nonexistent/${kind}/${source.id}.ogg`,
          contentHash: `derived-${kind}-${source.id}`, channels: 2, sampleRate: 44100, codec: "vorbis", origin: `derived-${kind}`, derivedFromId: source.id,
        },
      });
      const copy = excerpt(i).map((v, j) => v * (kind === "remix" ? 1.05 : 0.9) + 0.05 * Math.sin(j));
      await cache(db, dir, track.id, copy, chroma(i, kind === "remix" ? 0 : 3));
    }
  }
  return (await db.track.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((t) => t.id);
}

async function outliers(db: Db, cacheDir: string) {
  return runJob<never, OutliersResult>(db, { stage: "outliers", quiet: true }, (job) => runOutliers(db, job, { seed: 1, cacheDir }));
}

test(`outlier stage and filtered recommendations on ${testBackend()}`, async (t) => {
  const handle = await freshDb();
  const { db } = handle;
  const dir = mkdtempSync(join(tmpdir(), "curator-outliers-"));
  try {
    const trackIds = await seedWithFeatures(db, dir);

    await t.test("flags carry a kind, a probability at or above 0.5 and a reason", async () => {
      const first = await outliers(db, dir);
      assert.equal(first.result.tracks, trackIds.length);
      assert.deepEqual(first.bad, [], "log-mel, chroma and envelopes all come from the cache; nothing is decoded");
      const flags = await db.outlierFlag.findMany();
      assert.ok(flags.length > 0, "something is flagged");
      for (const f of flags) {
        assert.ok(f.score >= 0.5 && f.score <= 1, `score ${f.score}`);
        assert.ok(f.reason.length > 0);
        assert.equal(f.status, "OPEN");
        assert.equal(f.jobId, first.jobId);
      }
      const shortIntro = await db.track.findFirstOrThrow({ where: { isShort: true }, orderBy: { id: "asc" } });
      assert.ok(flags.some((f) => f.trackId === shortIntro.id && f.kind === "INTRO"), "a short album opener is flagged INTRO");
    });

    await t.test("a re-run never changes a flag with a verdict, and updates OPEN ones", async () => {
      const flags = await db.outlierFlag.findMany({ orderBy: { id: "asc" } });
      assert.ok(flags.length >= 3);
      const at = new Date("2026-01-02T03:04:05Z");
      await db.outlierFlag.update({ where: { id: flags[0]!.id }, data: { status: "CONFIRMED", verdictNote: "a menu jingle", verdictBy: "editor-key", verdictAt: at, score: 0.51, reason: "as reviewed" } });
      await db.outlierFlag.update({ where: { id: flags[1]!.id }, data: { status: "REJECTED", verdictNote: "a real song", verdictBy: "editor-key", verdictAt: at } });
      const reviewed = await db.outlierFlag.findMany({ where: { id: { in: [flags[0]!.id, flags[1]!.id] } }, orderBy: { id: "asc" } });
      const second = await outliers(db, dir);
      assert.ok(second.result.kept >= 2);
      const after = await db.outlierFlag.findMany({ where: { id: { in: [flags[0]!.id, flags[1]!.id] } }, orderBy: { id: "asc" } });
      assert.deepEqual(after, reviewed, "status, note, verdict, score and reason as the editor left them");
      const open = await db.outlierFlag.findMany({ where: { status: "OPEN" } });
      assert.ok(open.length > 0);
      for (const f of open) assert.equal(f.jobId, second.jobId, "OPEN flags belong to the latest run");
      assert.equal(await db.outlierFlag.count({ where: { trackId: flags[1]!.trackId, kind: flags[1]!.kind } }), 1, "no second flag beside the rejected one");
    });

    await t.test("excludeFlagged drops OPEN and CONFIRMED flagged tracks, keeps REJECTED ones, refills to k", async () => {
      await db.outlierFlag.deleteMany();
      const users = await Promise.all([0, 1].map((u) => db.user.create({ data: { externalId: `listener-${u}` } })));
      const d = 6;
      await writeFactorSet(db, {
        kind: "CF", dims: d, params: {}, trackIds, raw: gaussianRows(trackIds.length, d, 11),
        users: { userIds: users.map((u) => u.id), raw: gaussianRows(users.length, d, 12) },
      });
      const indexDir = tempIndexDir();
      const api = await startIndexedApi(db, indexDir.dir);
      try {
        const Q = `query ($id: Int!, $ex: Boolean!) { user(id: $id) { recommendations(k: 5, includeCold: false, excludeFlagged: $ex) { track { id } } } }`;
        type R = { user: { recommendations: { track: { id: number } }[] } };
        const list = async (ex: boolean) => {
          const r = await api.query<R>(Q, { id: users[0]!.id, ex });
          assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
          return r.body.data!.user.recommendations.map((x) => x.track.id);
        };
        const full = await list(false);
        const longer = (await api.query<R>(Q.replace("k: 5", "k: 8"), { id: users[0]!.id, ex: false })).body.data!.user.recommendations.map((x) => x.track.id);
        const [open, rejected, confirmed] = full;
        await db.outlierFlag.createMany({
          data: [
            { trackId: open!, kind: "INTRO", score: 0.9, reason: "test" },
            { trackId: rejected!, kind: "REMIX", score: 0.8, reason: "test", status: "REJECTED" },
            { trackId: confirmed!, kind: "COVER", score: 0.6, reason: "test", status: "CONFIRMED" },
          ],
        });
        assert.deepEqual(await list(false), full, "without the option nothing changes");
        const filtered = await list(true);
        assert.deepEqual(filtered, longer.filter((id) => id !== open && id !== confirmed).slice(0, 5));
        assert.ok(filtered.includes(rejected!), "a rejected flag does not filter");
      } finally {
        await api.close();
        indexDir.remove();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await handle.close();
  }
});
