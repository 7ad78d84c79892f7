// Issue 25, item 1: small queries that exhausted the server. Each list is costed by its real size, long lists are
// paged, aliases and tokens are limited, and a refused query leaves the server serving.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "graphql";
import type { Db } from "@curator/db/client.js";
import { writeFactorSet } from "@curator/worker/storage/factor-sets.js";
import { writeLayout } from "@curator/worker/map/store.js";
import { measureLists } from "@curator/server/limits/measured-lists.js";
import { freshDb, testBackend } from "../support/db.js";
import { startApi } from "../support/api.js";

const MAP_POINTS = 2_001;
const BAD_ITEMS = 650;

/** A CF map of `n` tracks, written the way `curator map` writes one. */
async function seedMap(db: Db, n: number): Promise<number[]> {
  const artist = await db.artist.create({ data: { name: "Load" } });
  const base = { artistId: artist.id, durationSec: 100, isShort: false, channels: 2, sampleRate: 44100, codec: "vorbis" };
  const rows = Array.from({ length: n }, (_, i) => ({ ...base, externalId: `load/${i}`, title: `Load ${i}`, audioPath: `/nonexistent/${i}.ogg`, contentHash: `load-${i}` }));
  for (let i = 0; i < n; i += 500) await db.track.createMany({ data: rows.slice(i, i + 500) });
  const trackIds = (await db.track.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((t) => t.id);
  const factorSetId = await writeFactorSet(db, { kind: "CF", dims: 2, params: {}, trackIds, raw: new Float32Array(2 * n).fill(0.5) });
  await writeLayout(db, { factorSetId, kind: "CF", method: "umap", params: {}, trackIds, xy: Float32Array.from({ length: 2 * n }, (_, i) => i) });
  return trackIds;
}

function aliases(n: number, field: string): string {
  return `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(" ")} }`;
}

test(`abusive queries are refused by size, aliases and tokens on ${testBackend()}`, async (t) => {
  const handle = await freshDb();
  const { db } = handle;
  const api = await startApi(db);
  try {
    const trackIds = await seedMap(db, MAP_POINTS);
    const job = await db.job.create({ data: { stage: "features", status: "SUCCEEDED", failed: BAD_ITEMS } });
    await db.jobBadItem.createMany({ data: Array.from({ length: BAD_ITEMS }, (_, i) => ({ jobId: job.id, item: `file-${i}.ogg`, reason: "not audio" })) });
    const serving = async () => assert.equal((await api.query<{ health: { ok: boolean } }>("{ health { ok } }")).body.data?.health.ok, true);

    await t.test("the map's packed columns are costed by the map's size, measured from the database", async () => {
      const measured = await measureLists(db, parse(`{ latentMap { packed { count } } }`));
      assert.deepEqual(measured, { "LatentMap.packed": Math.ceil(MAP_POINTS / 1000) });
      assert.deepEqual(await measureLists(db, parse(`{ jobs { id } }`)), {}, "no lookup for queries without a measured list");
    });

    await t.test("more than 15 aliases are refused before anything runs; 15 are served", async () => {
      for (const field of ["latentMap { packed { count } }", `track(id: ${trackIds[0]}) { whySimilar(to: ${trackIds[1]}) { share } }`, "jobs(first: 20) { badItems { item reason } }"]) {
        const refused = await api.query(aliases(100, field));
        assert.equal(refused.status, 400, field);
        const error = refused.body.errors?.[0] as { message: string; extensions: Record<string, unknown> };
        assert.equal(error.extensions.code, "BAD_USER_INPUT");
        assert.equal(error.extensions.reason, "QUERY_TOO_MANY_ALIASES");
        assert.match(error.message, /Aliases limit of 15 exceeded, found 100/);
      }
      const served = await api.query<Record<string, { packed: { count: number } }>>(aliases(15, "latentMap { packed { count ids } }"));
      assert.equal(served.body.errors, undefined);
      assert.deepEqual(Object.values(served.body.data!).map((m) => m.packed.count), Array(15).fill(MAP_POINTS));
      await serving();
    });

    await t.test("bad items come in pages (100 by default, at most 500), each with an id to continue after", async () => {
      type Page = { job: { failed: number; badItems: { id: number; item: string }[] } };
      const first = await api.query<Page>(`query ($id: Int!) { job(id: $id) { failed badItems { id item } } }`, { id: job.id });
      assert.equal(first.body.errors, undefined);
      assert.equal(first.body.data!.job.failed, BAD_ITEMS);
      assert.equal(first.body.data!.job.badItems.length, 100);
      const items: string[] = [];
      let after: number | null = null;
      for (;;) {
        const page: { body: { data?: Page } } = await api.query<Page>(`query ($id: Int!, $after: Int) { job(id: $id) { badItems(first: 500, after: $after) { id item } } }`, { id: job.id, after });
        const got = page.body.data!.job.badItems;
        if (got.length === 0) break;
        items.push(...got.map((b) => b.item));
        after = got[got.length - 1]!.id;
      }
      assert.deepEqual(items, Array.from({ length: BAD_ITEMS }, (_, i) => `file-${i}.ogg`));
      const tooMany = await api.query(`query ($id: Int!) { job(id: $id) { badItems(first: 501) { item } } }`, { id: job.id });
      assert.match(tooMany.body.errors?.[0]?.message ?? "", /first must be between 1 and 500/);
      // 20 jobs × 500 bad items each is costed by the page size, not as one field.
      const costly = await api.query(`{ jobs(first: 20) { badItems(first: 500) { item reason } } }`);
      assert.equal(costly.status, 400);
      assert.equal((costly.body.errors?.[0]?.extensions as Record<string, unknown>).reason, "QUERY_TOO_COSTLY");
    });

    await t.test("map points come in pages in track order; `packed` has them all", async () => {
      type Points = { latentMap: { points: { id: number }[] } };
      const ids: number[] = [];
      let after: number | null = null;
      for (;;) {
        const page: { body: { data?: Points } } = await api.query<Points>(`query ($after: Int) { latentMap { points(first: 500, after: $after) { id } } }`, { after });
        const got = page.body.data!.latentMap.points;
        if (got.length === 0) break;
        ids.push(...got.map((p) => p.id));
        after = got[got.length - 1]!.id;
      }
      assert.deepEqual(ids, trackIds);
      const byDefault = await api.query<Points>(`{ latentMap { points { id } } }`);
      assert.equal(byDefault.body.data!.latentMap.points.length, 500);
    });

    await t.test("a document of more than 5,000 tokens is refused while parsing", async () => {
      const long = `{ health { ${"ok ".repeat(6_000)}} }`;
      const refused = await api.query(long);
      assert.equal(refused.status, 400);
      assert.match(refused.body.errors?.[0]?.message ?? "", /5000 tokens/);
      await serving();
    });
  } finally {
    await api.close();
    await handle.close();
  }
});
