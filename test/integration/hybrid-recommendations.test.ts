// Calibrated hybrid recommendations and the discovery dial (issue 22 item 5) through the real API, on sets written
// with writeFactorSet. The fixture has the shape that made a listener's list all cold: every item and every user
// shares a "popularity" direction, and the predicted factors lean towards it (a content model regresses towards the
// mean), so user · unit prediction × the median norm scores every cold track above every warm one. The calibration
// is fitted here as `curator train` fits it (warm validation tracks, every user) with fitCfCalibration.
import assert from "node:assert/strict";
import { test } from "node:test";

import type { Db } from "@curator/db/client.js";
import { fitCfCalibration, type CfCalibration } from "@curator/worker/model/cf-calibration.js";
import { writeFactorSet } from "@curator/worker/storage/factor-sets.js";
import { Rng } from "@curator/worker/util/random.js";

import { freshDb, testBackend } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";
import { startIndexedApi, tempIndexDir, type IndexedApi } from "../support/indexed-api.js";

const D = 6;
const K = 8;

interface Fixture {
  trackIds: number[];
  cold: Set<number>;
  userIds: number[];
  userRaw: Float32Array;
  /** What each track's CF factors are (the cold ones' too, though the CF set stores zeros for them). */
  truth: Float32Array;
  predicted: Float32Array;
  played: Map<number, Set<number>>;
  calibration: CfCalibration;
}

const dotRow = (a: Float32Array, i: number, b: Float32Array, j: number) => {
  let s = 0;
  for (let d = 0; d < D; d++) s += a[i * D + d]! * b[j * D + d]!;
  return s;
};

async function seed(db: Db): Promise<Fixture> {
  const tracks = await seedCatalog(db, 6, 8);
  const trackIds = tracks.map((t) => t.id);
  const rng = new Rng(21);
  // Dimension 0 is popularity: every item has a little of it and every user (ALS users are long) much; tracks 8k+5..8k+7 (one album's last three
  // tracks per artist, 18 in all) are cold.
  const cold = new Set(trackIds.filter((_, i) => i % 8 >= 5));
  const truth = Float32Array.from({ length: trackIds.length * D }, (_, j) => (j % D === 0 ? 0.1 : 0.3 * rng.gaussian()));
  const predicted = new Float32Array(truth.length);
  trackIds.forEach((_, i) => {
    const row = truth.subarray(i * D, (i + 1) * D);
    const norm = Math.hypot(...row);
    for (let d = 0; d < D; d++) predicted[i * D + d] = 0.25 * (row[d]! / norm) + (d === 0 ? 0.8 : 0) + 0.05 * rng.gaussian();
  });
  const cfRaw = Float32Array.from(truth, (v, j) => (cold.has(trackIds[Math.floor(j / D)]!) ? 0 : v));
  const userIds: number[] = [];
  const userRaw = Float32Array.from({ length: 10 * D }, (_, j) => (j % D === 0 ? 3 : rng.gaussian()));
  const played = new Map<number, Set<number>>();
  for (let u = 0; u < 10; u++) {
    const user = await db.user.create({ data: { externalId: `listener-${u}` } });
    userIds.push(user.id);
    // Listener u plays u + 1 warm tracks (so the picker can order by activity).
    const tracksPlayed = trackIds.filter((id) => !cold.has(id)).slice(u, 2 * u + 1);
    played.set(user.id, new Set(tracksPlayed));
    await db.listen.createMany({ data: tracksPlayed.map((trackId) => ({ userId: user.id, trackId, plays: 2 })) });
  }
  await writeFactorSet(db, { kind: "CF", dims: D, params: {}, trackIds, raw: cfRaw, users: { userIds, raw: userRaw } });
  // Fitted on warm "validation" tracks, as `curator train` fits it.
  const validation = trackIds.flatMap((id, i) => (!cold.has(id) && i % 2 === 0 ? [i] : []));
  const rowsOf = (m: Float32Array) => Float32Array.from(validation.flatMap((i) => Array.from(m.subarray(i * D, (i + 1) * D))));
  const calibration = fitCfCalibration(userRaw, rowsOf(cfRaw), rowsOf(predicted), D)!;
  return { trackIds, cold, userIds, userRaw, truth, predicted, played, calibration };
}

const RECS = `query ($id: Int!, $k: Int!, $cold: Boolean!, $only: Boolean!, $max: Int) {
  user(id: $id) { recommendations(k: $k, includeCold: $cold, onlyCold: $only, maxCold: $max) { score cold track { id } } }
}`;
type Rec = { score: number; cold: boolean; track: { id: number } };

async function recs(api: IndexedApi, vars: { id: number; k?: number; cold?: boolean; only?: boolean; max?: number | null }): Promise<Rec[]> {
  const r = await api.query<{ user: { recommendations: Rec[] } }>(RECS, { k: K, cold: true, only: false, max: null, ...vars });
  assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
  return r.body.data!.user.recommendations;
}

test(`calibrated cold scores, the discovery dial, the audio model and the listener picker on ${testBackend()}`, async (t) => {
  const handle = await freshDb();
  const { db } = handle;
  const indexDir = tempIndexDir();
  const api = await startIndexedApi(db, indexDir.dir);
  try {
    const f = await seed(db);
    const userRow = (id: number) => f.userIds.indexOf(id);
    const row = (id: number) => f.trackIds.indexOf(id);

    await t.test("uncalibrated (a set predicted before calibration existed): a listener's list is the cold-only list", async () => {
      await writeFactorSet(db, { kind: "PREDICTED_MIDDLE", dims: D, params: { backing: "convnet" }, trackIds: f.trackIds, raw: f.predicted });
      const allCold = [];
      for (const id of f.userIds) if ((await recs(api, { id })).every((r) => r.cold)) allCold.push(id);
      assert.ok(allCold.length >= 1, `the problem this fixture reproduces: ${allCold.length} of ${f.userIds.length} lists all cold`);
    });

    // The run that made the calibrated set, with its record of the choice.
    const run = await db.modelRun.create({
      data: {
        preset: "small",
        status: "READY",
        params: JSON.stringify({
          audioModel: {
            backing: "mfcc-baseline",
            rule: "best",
            decidedBy: "validation AUC",
            validationTracks: 15,
            convnet: { validationAuc: 0.61, validationMse: 0.05 },
            baseline: { validationAuc: 0.74, validationMse: 0.04, calibration: f.calibration, lambda: 1, words: 256, trainTracks: 30, file: { path: "/nonexistent", sha256: "0" } },
          },
        }),
      },
    });
    await writeFactorSet(db, {
      kind: "PREDICTED_MIDDLE",
      dims: D,
      params: { modelRunId: run.id, backing: "mfcc-baseline", calibration: f.calibration },
      modelRunId: run.id,
      trackIds: f.trackIds,
      raw: f.predicted,
    });

    await t.test("calibrated: cold scores are slope · (user · predicted) + intercept, closer to the CF scores they would have", async () => {
      assert.ok(f.calibration.slope > 0 && f.calibration.pairs === 10 * 18, JSON.stringify(f.calibration));
      let calibratedError = 0;
      let oldError = 0;
      let n = 0;
      const warmNorms = f.trackIds.filter((id) => !f.cold.has(id)).map((id) => Math.hypot(...f.truth.subarray(row(id) * D, (row(id) + 1) * D)));
      const median = warmNorms.sort((a, b) => a - b)[Math.floor(warmNorms.length / 2)]!;
      for (const id of f.userIds) {
        const list = await recs(api, { id, k: f.cold.size, only: true });
        assert.equal(list.length, f.cold.size);
        for (const r of list) {
          const u = userRow(id);
          const i = row(r.track.id);
          const predictedScore = dotRow(f.userRaw, u, f.predicted, i);
          assert.ok(Math.abs(r.score - (f.calibration.slope * predictedScore + f.calibration.intercept)) < 1e-4, `user ${id} track ${r.track.id}`);
          const trueScore = dotRow(f.userRaw, u, f.truth, i);
          const norm = Math.hypot(...f.predicted.subarray(i * D, (i + 1) * D));
          calibratedError += (r.score - trueScore) ** 2;
          oldError += ((predictedScore / norm) * median - trueScore) ** 2;
          n++;
        }
      }
      const rmse = Math.sqrt(calibratedError / n);
      const oldRmse = Math.sqrt(oldError / n);
      assert.ok(rmse < oldRmse / 2, `RMSE against the CF scores the cold tracks would have: calibrated ${rmse.toFixed(3)}, unit × median norm ${oldRmse.toFixed(3)}`);
    });

    await t.test("calibrated: no listener's list is all cold, and cold tracks still enter some lists on merit", async () => {
      let coldShown = 0;
      for (const id of f.userIds) {
        const list = await recs(api, { id });
        assert.equal(list.length, K);
        assert.ok(list.some((r) => !r.cold), `user ${id}: ${JSON.stringify(list)}`);
        assert.ok(list.every((r) => !f.played.get(id)!.has(r.track.id)), "training listens left out");
        coldShown += list.filter((r) => r.cold).length;
      }
      assert.ok(coldShown > 0, "some cold track makes some list");
    });

    await t.test("the dial: at most maxCold cold tracks, the best of each kind, the list refilled to k", async () => {
      for (const id of f.userIds) {
        const warm = await recs(api, { id, cold: false });
        const coldOnly = await recs(api, { id, only: true });
        for (const max of [0, 1, 2, K]) {
          const list = await recs(api, { id, max });
          const cold = list.filter((r) => r.cold);
          assert.equal(list.length, K);
          assert.ok(cold.length <= max, `user ${id} maxCold ${max}: ${cold.length} cold`);
          // The cold ones are the listener's best cold tracks, the warm ones their best warm tracks, merged by score.
          assert.deepEqual(cold.map((r) => r.track.id), coldOnly.slice(0, cold.length).map((r) => r.track.id));
          assert.deepEqual(list.filter((r) => !r.cold).map((r) => r.track.id), warm.slice(0, K - cold.length).map((r) => r.track.id));
          for (let i = 1; i < list.length; i++) assert.ok(list[i - 1]!.score >= list[i]!.score);
        }
        assert.deepEqual((await recs(api, { id, max: 0 })).map((r) => r.track.id), warm.map((r) => r.track.id));
      }
      const bad = await api.query(RECS, { id: f.userIds[0], k: K, cold: true, only: false, max: -1 });
      assert.equal((bad.body as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
    });

    await t.test("audioModel says which model backs the Audio column, its validation AUC and its calibration", async () => {
      const r = await api.query<{ audioModel: Record<string, unknown> & { validation: { auc: number }; calibration: { slope: number }; caveat: string } }>(
        `{ audioModel { modelRunId backing decidedBy validationTracks validation { auc mse } convnetValidation { auc } baselineValidation { auc } calibration { slope intercept pairs } caveat } }`,
      );
      assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
      const m = r.body.data!.audioModel;
      assert.equal(m.modelRunId, run.id);
      assert.equal(m.backing, "MFCC_BASELINE");
      assert.equal(m.decidedBy, "validation AUC");
      assert.deepEqual([m.validation.auc, (m.convnetValidation as { auc: number }).auc], [0.74, 0.61]);
      assert.ok(Math.abs(m.calibration.slope - f.calibration.slope) < 1e-12);
      assert.match(m.caveat, /ranked 15 held-out tracks better than the convnet did \(AUC 0\.74 against 0\.61/);
      const none = await api.query<{ audioModel: unknown }>(`query { audioModel(mode: WHOLE) { backing } }`);
      assert.equal(none.body.data!.audioModel, null, "no whole-track set yet");
    });

    await t.test("users: the listener picker's search, most active first; nothing for a name nobody has", async () => {
      type U = { users: { id: number; externalId: string; listens: number }[] };
      const all = (await api.query<U>(`{ users(first: 3) { id externalId listens } }`)).body.data!.users;
      assert.deepEqual(all.map((u) => u.externalId), ["listener-9", "listener-8", "listener-7"]);
      assert.deepEqual(all.map((u) => u.listens), [10, 9, 8]);
      const found = (await api.query<U>(`query ($s: String) { users(search: $s) { externalId } }`, { s: "listener-1" })).body.data!.users;
      assert.deepEqual(found.map((u) => u.externalId), ["listener-1"]);
      const byId = (await api.query<U>(`query ($s: String) { users(search: $s) { id } }`, { s: String(f.userIds[9]) })).body.data!.users;
      assert.deepEqual(byId.map((u) => u.id), [f.userIds[9]], "no external id contains it");
      // An exact id first, then the external ids that contain it (listener-N's id is N + 1 here).
      const exactFirst = (await api.query<U>(`query ($s: String) { users(search: $s) { id externalId } }`, { s: String(f.userIds[1]) })).body.data!.users;
      assert.equal(exactFirst[0]!.id, f.userIds[1]);
      assert.ok(exactFirst.slice(1).every((u) => u.externalId.includes(String(f.userIds[1]))));
      assert.deepEqual((await api.query<U>(`{ users(search: "abc") { id } }`)).body.data!.users, []);
    });
  } finally {
    await api.close();
    await handle.close();
    indexDir.remove();
  }
});
