// Similar tracks, recommendations, sonic paths and the index registry through the real API over HTTP, on factor
// sets written with writeFactorSet from synthetic vectors. Expected rankings are brute force on the stored sets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Db } from "@curator/db/client.js";
import { loadActiveFactorSet, writeFactorSet, type LoadedFactorSet } from "@curator/worker/storage/factor-sets.js";
import { freshDb, testBackend } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";
import { gaussianRows, startIndexedApi, tempIndexDir, type IndexedApi } from "../support/indexed-api.js";

const D = 8;

interface Fixture {
  trackIds: number[];
  albumOf: Map<number, number>;
  cold: Set<number>;
  userIds: number[];
  training: Map<number, Set<number>>;
  heldOut: Map<number, Set<number>>;
}

/**
 * 4 albums × 5 tracks; the last album is cold (zero CF rows, no training listens). Raw CF rows are scaled by
 * 1–3 so norms differ as popularity does. Every user has 3 training listens and 2 held-out ones (one warm, one cold).
 */
async function seed(db: Db): Promise<Fixture> {
  const tracks = await seedCatalog(db, 4, 5);
  const trackIds = tracks.map((t) => t.id);
  const rows = await db.track.findMany({ select: { id: true, albumId: true } });
  const albumOf = new Map(rows.map((r) => [r.id, r.albumId!]));
  const cold = new Set(trackIds.slice(15));
  const warm = trackIds.slice(0, 15);
  const cfRaw = gaussianRows(20, D, 11);
  trackIds.forEach((id, i) => {
    for (let j = 0; j < D; j++) cfRaw[i * D + j] = cold.has(id) ? 0 : cfRaw[i * D + j]! * (1 + (i % 3));
  });
  const userIds: number[] = [];
  const training = new Map<number, Set<number>>();
  const heldOut = new Map<number, Set<number>>();
  for (let u = 0; u < 5; u++) {
    const user = await db.user.create({ data: { externalId: `listener-${u}` } });
    userIds.push(user.id);
    const train = [warm[3 * u]!, warm[3 * u + 1]!, warm[3 * u + 2]!];
    const held = [warm[(3 * u + 4) % 15]!, trackIds[15 + u % 5]!];
    training.set(user.id, new Set(train));
    heldOut.set(user.id, new Set(held));
    await db.listen.createMany({
      data: [...train.map((trackId) => ({ userId: user.id, trackId, plays: 3 })), ...held.map((trackId) => ({ userId: user.id, trackId, plays: 2, heldOut: true }))],
    });
  }
  await writeFactorSet(db, { kind: "CF", dims: D, params: { test: "similarity" }, trackIds, raw: cfRaw, users: { userIds, raw: gaussianRows(5, D, 12) } });
  await writeFactorSet(db, {
    kind: "PREDICTED_MIDDLE",
    dims: D,
    params: { test: "similarity" },
    trackIds,
    raw: gaussianRows(20, D, 13),
    spread: Float32Array.from(trackIds, (_, i) => 0.01 * (i + 1)),
  });
  return { trackIds, albumOf, cold, userIds, training, heldOut };
}

const rowIn = (set: LoadedFactorSet, id: number): number => set.trackIds.indexOf(id);
function dotRows(a: Float32Array, i: number, b: Float32Array, j: number): number {
  let s = 0;
  for (let t = 0; t < D; t++) s += a[i * D + t]! * b[j * D + t]!;
  return s;
}
/** Cosine of two tracks in a set, or NaN when either has a zero row. */
function cos(set: LoadedFactorSet, a: number, b: number): number {
  const i = rowIn(set, a);
  const j = rowIn(set, b);
  return i < 0 || j < 0 || set.norms[i] === 0 || set.norms[j] === 0 ? NaN : dotRows(set.unit, i, set.unit, j);
}

type Scored = { id: number; score: number };
function bruteForce(q: number, candidates: number[], score: (c: number) => number): Scored[] {
  return candidates
    .filter((c) => c !== q)
    .map((id) => ({ id, score: score(id) }))
    .filter((s) => !Number.isNaN(s.score))
    .sort((a, b) => b.score - a.score);
}

function assertRanking(got: { score: number; track: { id: number } }[], q: number, expected: Scored[], k: number, what: string): void {
  assert.equal(got[0]!.track.id, q, `${what}: the query track comes first`);
  assert.ok(Math.abs(got[0]!.score - 1) < 1e-9);
  const rest = got.slice(1);
  assert.equal(rest.length, Math.min(k, expected.length), `${what}: count`);
  rest.forEach((r, i) => {
    const want = expected[i]!;
    assert.ok(Math.abs(r.score - want.score) < 1e-5, `${what}: rank ${i} score ${r.score} vs ${want.score}`);
    const tied = [expected[i - 1], expected[i + 1]].some((o) => o !== undefined && Math.abs(o.score - want.score) < 1e-5);
    if (!tied) assert.equal(r.track.id, want.id, `${what}: rank ${i} id`);
  });
}

const SIMILAR = `query ($id: Int!, $k: Int!, $space: Space!, $w: Float, $album: Boolean! = false) {
  track(id: $id) { similar(k: $k, space: $space, hybridWeight: $w, excludeSameAlbum: $album) { score track { id album { id } } } }
}`;
type SimilarData = { track: { similar: { score: number; track: { id: number; album: { id: number } | null } }[] } };

async function similar(api: IndexedApi, vars: Record<string, unknown>) {
  const r = await api.query<SimilarData>(SIMILAR, vars);
  assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
  return r.body.data!.track.similar;
}

const code = (r: { body: { errors?: { extensions?: { code?: string } }[] } }): string | undefined => r.body.errors?.[0]?.extensions?.code;

test(`similarity, recommendations, sonic paths and index files on ${testBackend()}`, async (t) => {
  const handle = await freshDb();
  const { db } = handle;
  const indexDir = tempIndexDir();
  let api = await startIndexedApi(db, indexDir.dir);
  try {
    const f = await seed(db);
    let cf = (await loadActiveFactorSet(db, "CF", true))!;
    const audio = (await loadActiveFactorSet(db, "PREDICTED_MIDDLE"))!;
    const warm = f.trackIds.filter((id) => !f.cold.has(id));

    await t.test("CF search equals brute force on the stored set, query track first", async () => {
      for (const q of warm) assertRanking(await similar(api, { id: q, k: 10, space: "CF" }), q, bruteForce(q, warm, (c) => cos(cf, q, c)), 10, `CF ${q}`);
    });

    await t.test("AUDIO serves cold tracks from the predicted factors", async () => {
      for (const q of f.cold) assertRanking(await similar(api, { id: q, k: 5, space: "AUDIO" }), q, bruteForce(q, f.trackIds, (c) => cos(audio, q, c)), 5, `AUDIO ${q}`);
    });

    await t.test("HYBRID blends w·cos_CF + (1−w)·cos_AUDIO; cold tracks on audio alone", async () => {
      const w = 0.3;
      const blended = (q: number) => (c: number) => {
        const a = cos(audio, q, c);
        const k = cos(cf, q, c);
        return Number.isNaN(k) ? a : w * k + (1 - w) * a;
      };
      // k covers the catalogue, so the union of both candidate lists is every track.
      for (const q of [warm[0]!, warm[7]!, [...f.cold][0]!]) {
        assertRanking(await similar(api, { id: q, k: 19, space: "HYBRID", w }), q, bruteForce(q, f.trackIds, blended(q)), 19, `HYBRID ${q}`);
      }
      const hybridCold = await similar(api, { id: [...f.cold][1]!, k: 19, space: "HYBRID", w: 0.9 });
      const audioCold = await similar(api, { id: [...f.cold][1]!, k: 19, space: "AUDIO" });
      assert.deepEqual(hybridCold, audioCold, "a cold query has no CF side");
    });

    await t.test("excludeSameAlbum leaves the query's album out", async () => {
      const q = warm[2]!;
      const got = await similar(api, { id: q, k: 8, space: "HYBRID", album: true });
      assert.equal(got.length, 9);
      for (const r of got.slice(1)) assert.notEqual(r.track.album?.id, f.albumOf.get(q));
    });

    await t.test("track fields: CF and predicted factors, spread", async () => {
      const q = `query ($id: Int!) { track(id: $id) { cfFactors predictedFactors confidence } }`;
      const r = await api.query<{ track: { cfFactors: number[] | null; predictedFactors: number[]; confidence: number } }>(q, { id: warm[4]! });
      const i = rowIn(cf, warm[4]!);
      assert.deepEqual(r.body.data!.track.cfFactors, Array.from(cf.raw.subarray(i * D, (i + 1) * D)));
      assert.deepEqual(r.body.data!.track.predictedFactors, Array.from(audio.raw.subarray(rowIn(audio, warm[4]!) * D, (rowIn(audio, warm[4]!) + 1) * D)));
      assert.ok(Math.abs(r.body.data!.track.confidence - 0.05) < 1e-6);
      const coldTrack = await api.query<{ track: { cfFactors: null } }>(q, { id: [...f.cold][0]! });
      assert.equal(coldTrack.body.data!.track.cfFactors, null);
    });

    await t.test("recommendations: user · item, no training tracks, cold tracks through predicted factors", async () => {
      const Q = `query ($id: Int!, $k: Int!, $cold: Boolean!, $only: Boolean!) {
        user(id: $id) { externalId recommendations(k: $k, includeCold: $cold, onlyCold: $only) { score cold track { id } } }
      }`;
      type R = { user: { externalId: string; recommendations: { score: number; cold: boolean; track: { id: number } }[] } };
      const positive = Array.from(cf.norms).filter((n) => n > 0).sort((a, b) => a - b);
      assert.equal(positive.length, 15);
      const median = positive[7]!;
      for (const [u, userId] of f.userIds.entries()) {
        const r = await api.query<R>(Q, { id: userId, k: 200, cold: true, only: false });
        assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
        const recs = r.body.data!.user.recommendations;
        assert.equal(r.body.data!.user.externalId, `listener-${u}`);
        assert.equal(recs.length, 20 - 3, "every track but the 3 training ones");
        for (const rec of recs) assert.ok(!f.training.get(userId)!.has(rec.track.id), `training track ${rec.track.id} recommended`);
        for (const held of f.heldOut.get(userId)!) assert.ok(recs.some((rec) => rec.track.id === held), `held-out track ${held} is recommendable`);
        const urow = cf.users!.userIds.indexOf(userId);
        for (const rec of recs) {
          assert.equal(rec.cold, f.cold.has(rec.track.id));
          const want = rec.cold
            ? dotRows(cf.users!.raw, urow, audio.unit, rowIn(audio, rec.track.id)) * median
            : dotRows(cf.users!.raw, urow, cf.raw, rowIn(cf, rec.track.id));
          assert.ok(Math.abs(rec.score - want) < 1e-4, `user ${userId} track ${rec.track.id}: ${rec.score} vs ${want}`);
        }
        for (let i = 1; i < recs.length; i++) assert.ok(recs[i - 1]!.score >= recs[i]!.score);

        const only = (await api.query<R>(Q, { id: userId, k: 10, cold: true, only: true })).body.data!.user.recommendations;
        assert.deepEqual(new Set(only.map((r) => r.track.id)), f.cold);
        assert.ok(only.every((r) => r.cold));
        const warmOnly = (await api.query<R>(Q, { id: userId, k: 200, cold: false, only: false })).body.data!.user.recommendations;
        assert.equal(warmOnly.length, 12);
        assert.ok(warmOnly.every((r) => !r.cold));
      }
    });

    await t.test("sonic path starts at A, ends at B, no repeats", async () => {
      const Q = `query ($a: Int!, $b: Int!, $n: Int!, $space: PathSpace!) { sonicPath(from: $a, to: $b, length: $n, space: $space) { t score track { id } } }`;
      type P = { sonicPath: { t: number; score: number; track: { id: number } }[] };
      for (const [a, b, n, space] of [[warm[0]!, warm[14]!, 6, "CF"], [warm[1]!, [...f.cold][2]!, 12, "AUDIO"], [warm[3]!, warm[9]!, 2, "CF"]] as const) {
        const r = await api.query<P>(Q, { a, b, n, space });
        assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
        const ids = r.body.data!.sonicPath.map((s) => s.track.id);
        assert.equal(ids.length, n);
        assert.equal(ids[0], a);
        assert.equal(ids[n - 1], b);
        assert.equal(new Set(ids).size, n, "no track twice");
        assert.deepEqual(r.body.data!.sonicPath.map((s) => s.t), Array.from({ length: n }, (_, i) => i / (n - 1)));
      }
      const tooLong = await api.query(Q, { a: warm[0]!, b: warm[1]!, n: 16, space: "CF" });
      assert.equal(code(tooLong), "BAD_USER_INPUT", "only 15 tracks have CF factors");
    });

    await t.test("errors: unknown ids NOT_FOUND, bad arguments BAD_USER_INPUT, missing factors FAILED_PRECONDITION", async () => {
      assert.equal(code(await api.query(SIMILAR, { id: warm[0]!, k: 201, space: "CF" })), "BAD_USER_INPUT");
      assert.equal(code(await api.query(SIMILAR, { id: warm[0]!, k: 0, space: "CF" })), "BAD_USER_INPUT");
      assert.equal(code(await api.query(SIMILAR, { id: warm[0]!, k: 5, space: "HYBRID", w: 1.5 })), "BAD_USER_INPUT");
      const coldCf = await api.query(SIMILAR, { id: [...f.cold][0]!, k: 5, space: "CF" });
      assert.equal(code(coldCf), "FAILED_PRECONDITION");
      assert.match(coldCf.body.errors![0]!.message, /no CF factors .* no training listens/);
      assert.equal(code(await api.query("{ user(id: 999999) { id } }")), "NOT_FOUND");
      assert.equal(code(await api.query(`{ sonicPath(from: 999999, to: ${warm[0]}) { t } }`)), "NOT_FOUND");
      assert.equal(code(await api.query(`{ sonicPath(from: ${warm[0]}, to: ${warm[0]}) { t } }`)), "BAD_USER_INPUT");
    });

    await t.test("a new active set is picked up: its index file replaces the old one, results follow it", async () => {
      const oldId = cf.id;
      assert.deepEqual(readdirSync(indexDir.dir).sort(), [`CF-set${oldId}.faiss`, `PREDICTED_MIDDLE-set${audio.id}.faiss`]);
      const raw = gaussianRows(20, D, 21);
      f.trackIds.forEach((id, i) => {
        if (f.cold.has(id)) raw.fill(0, i * D, (i + 1) * D);
      });
      const newId = await writeFactorSet(db, { kind: "CF", dims: D, params: { test: "swap" }, trackIds: f.trackIds, raw, users: { userIds: f.userIds, raw: gaussianRows(5, D, 22) } });
      cf = (await loadActiveFactorSet(db, "CF", true))!;
      assert.equal(cf.id, newId);
      for (const q of warm.slice(0, 5)) assertRanking(await similar(api, { id: q, k: 10, space: "CF" }), q, bruteForce(q, warm, (c) => cos(cf, q, c)), 10, `new CF ${q}`);
      assert.deepEqual(readdirSync(indexDir.dir).sort(), [`CF-set${newId}.faiss`, `PREDICTED_MIDDLE-set${audio.id}.faiss`]);
    });

    await t.test("a restarted server reads the stored index instead of rebuilding it", async () => {
      await api.close();
      api = await startIndexedApi(db, indexDir.dir);
      const q = warm[5]!;
      assertRanking(await similar(api, { id: q, k: 10, space: "CF" }), q, bruteForce(q, warm, (c) => cos(cf, q, c)), 10, "after restart");
      assert.deepEqual(api.log.filter((l) => l.includes("built")), []);
    });

    await t.test("a FAISS error becomes a GraphQL error, the server keeps serving and the next request recovers", async () => {
      await api.close();
      const path = join(indexDir.dir, `CF-set${cf.id}.faiss`);
      writeFileSync(path, "not a faiss index");
      api = await startIndexedApi(db, indexDir.dir);
      const q = warm[6]!;
      const failed = await api.query(SIMILAR, { id: q, k: 5, space: "CF" });
      assert.equal(code(failed), "INDEX_ERROR");
      assert.match(failed.body.errors![0]!.message, /faiss read_index\(.*\) failed/);
      assert.ok(existsSync(`${path}.bad`), "the damaged file is kept for inspection");
      const health = await api.query<{ health: { ok: boolean } }>("{ health { ok } }");
      assert.equal(health.body.data?.health.ok, true);
      const audioStill = await similar(api, { id: q, k: 5, space: "AUDIO" });
      assert.equal(audioStill.length, 6);
      assertRanking(await similar(api, { id: q, k: 10, space: "CF" }), q, bruteForce(q, warm, (c) => cos(cf, q, c)), 10, "rebuilt");
      assert.ok(existsSync(path));
    });
  } finally {
    await api.close();
    await handle.close();
    indexDir.remove();
  }
});
