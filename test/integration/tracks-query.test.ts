import { test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "@curator/db/client.js";
import { freshDb, testBackend } from "../support/db.js";
import { seedCatalog, type SeededTrack } from "../support/seed.js";
import { startApi, type RunningApi } from "../support/api.js";

interface Node {
  id: number;
  title: string;
  durationSec: number;
  isCold: boolean;
  flagged: boolean;
  artist: { name: string };
}
interface Page {
  tracks: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Node }[] };
}
type Order = { field: "ID" | "TITLE" | "ARTIST" | "DURATION"; direction: "ASC" | "DESC" };
type Filter = Record<string, unknown>;

const PAGE = `query ($first: Int!, $after: String, $filter: TrackFilter, $orderBy: TrackOrder) {
  tracks(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id title durationSec isCold flagged artist { name } } }
  }
}`;

/** Every page of a query, following endCursor; asserts totalCount is the same on each page. */
async function walk(api: RunningApi, first: number, orderBy: Order | null, filter: Filter | null = null): Promise<Node[]> {
  const nodes: Node[] = [];
  let after: string | null = null;
  let total: number | undefined;
  for (;;) {
    const res: { body: { data?: Page; errors?: unknown[] } } = await api.query<Page>(PAGE, { first, after, orderBy, filter });
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    const page = res.body.data!.tracks;
    total ??= page.totalCount;
    assert.equal(page.totalCount, total);
    nodes.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  assert.equal(nodes.length, total);
  return nodes;
}

/**
 * Artist 0's tracks have training listens; artist 1's first track has only held-out ones (still cold).
 * Flags: track 1 OPEN, track 2 REJECTED (does not count), track 5 CONFIRMED.
 */
async function seedStatus(db: Db, seeded: SeededTrack[]): Promise<void> {
  const user = await db.user.create({ data: { externalId: "u1" } });
  await db.listen.createMany({ data: seeded.slice(0, 4).map((t) => ({ userId: user.id, trackId: t.id, plays: 3 })) });
  await db.listen.create({ data: { userId: user.id, trackId: seeded[4]!.id, plays: 1, heldOut: true } });
  const flag = (i: number, status: "OPEN" | "CONFIRMED" | "REJECTED") =>
    db.outlierFlag.create({ data: { trackId: seeded[i]!.id, kind: "ATYPICAL", score: 1, reason: "test", status } });
  await flag(1, "OPEN");
  await flag(2, "REJECTED");
  await flag(5, "CONFIRMED");
}

const ORDERS: Order[] = (["ID", "TITLE", "ARTIST", "DURATION"] as const).flatMap((field) =>
  (["ASC", "DESC"] as const).map((direction) => ({ field, direction })),
);

function keyOf(node: Node, field: Order["field"]): string | number {
  return field === "TITLE" ? node.title : field === "ARTIST" ? node.artist.name : field === "DURATION" ? node.durationSec : node.id;
}

test(`tracks: keyset order and filters on ${testBackend()}`, async () => {
  const handle = await freshDb();
  const api = await startApi(handle.db);
  try {
    const seeded = await seedCatalog(handle.db, 3, 4);
    await seedStatus(handle.db, seeded);
    const ids = (nodes: Node[]) => nodes.map((n) => n.id);
    const allIds = seeded.map((s) => s.id);

    for (const order of ORDERS) {
      const whole = await walk(api, 500, order);
      // The seed ties on artist (4 each) and duration (3 at 20 s…): ties must break by id in the same direction.
      const sign = order.direction === "ASC" ? 1 : -1;
      for (let i = 1; i < whole.length; i++) {
        const [a, b] = [whole[i - 1]!, whole[i]!];
        const [ka, kb] = [keyOf(a, order.field), keyOf(b, order.field)];
        const cmp = ka === kb ? b.id - a.id : kb > ka ? 1 : -1;
        assert.equal(Math.sign(cmp), sign, `${order.field} ${order.direction} at ${i}`);
      }
      for (const first of [1, 5]) {
        assert.deepEqual(ids(await walk(api, first, order)), ids(whole), `${order.field} ${order.direction} in pages of ${first}`);
      }
      assert.deepEqual([...ids(whole)].sort((a, b) => a - b), allIds);
    }
    assert.deepEqual(ids(await walk(api, 5, null)), allIds, "no orderBy is id ascending");

    const count = async (filter: Filter) => ids(await walk(api, 4, { field: "DURATION", direction: "DESC" }, filter)).sort((a, b) => a - b);
    const at = (...i: number[]) => i.map((n) => seeded[n]!.id);
    assert.deepEqual(await count({ cold: false }), at(0, 1, 2, 3));
    assert.deepEqual(await count({ cold: true }), at(4, 5, 6, 7, 8, 9, 10, 11));
    assert.deepEqual(await count({ flagged: true }), at(1, 5));
    assert.equal((await count({ flagged: false })).length, 10);
    assert.deepEqual(await count({ cold: true, flagged: true }), at(5));
    assert.deepEqual(await count({ minDurationSec: 121, maxDurationSec: 122 }), at(1, 2, 5, 6, 9, 10));
    assert.deepEqual(await count({ minDurationSec: 121, maxDurationSec: 122, cold: true, text: "Soundtrack 2" }), at(9, 10));
    assert.deepEqual(await count({ maxDurationSec: 20 }), at(0, 4, 8));
    // Case-insensitive on both backends (it was case-sensitive on PostgreSQL); a NUL is refused, not matched to all.
    assert.deepEqual(await count({ minDurationSec: 121, maxDurationSec: 122, cold: true, text: "sOUNDTRACK 2" }), at(9, 10));
    const nul = await api.query(PAGE, { first: 5, filter: { text: "\u0000" } });
    assert.match(nul.body.errors?.[0]?.message ?? "", /filter.text has a control character/);

    const byId = new Map((await walk(api, 500, null)).map((n) => [n.id, n]));
    assert.deepEqual([...byId.values()].filter((n) => n.flagged).map((n) => n.id), at(1, 5));
    assert.deepEqual([...byId.values()].filter((n) => !n.isCold).map((n) => n.id), at(0, 1, 2, 3));

    const inverted = await api.query(PAGE, { first: 5, filter: { minDurationSec: 200, maxDurationSec: 100 } });
    assert.equal(inverted.body.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
    assert.match(inverted.body.errors![0]!.message, /minDurationSec/);

    const titlePage = await api.query<Page>(PAGE, { first: 2, orderBy: { field: "TITLE", direction: "ASC" } });
    const titleCursor = titlePage.body.data!.tracks.pageInfo.endCursor;
    const crossed = await api.query(PAGE, { first: 2, after: titleCursor, orderBy: { field: "TITLE", direction: "DESC" } });
    assert.equal(crossed.body.errors?.[0]?.extensions?.code, "BAD_USER_INPUT", "a cursor only works under the order that issued it");
  } finally {
    await api.close();
    await handle.close();
  }
});

test(`tracks: text search forgives word order, case and typos on ${testBackend()}`, async () => {
  const handle = await freshDb();
  const api = await startApi(handle.db);
  try {
    const seeded = await seedCatalog(handle.db, 3, 4);
    await handle.db.track.update({ where: { id: seeded[5]!.id }, data: { title: "Escape from Chaosland" } });
    const titles = async (text: string) => (await walk(api, 50, { field: "ID", direction: "ASC" }, { text })).map((n) => n.title);

    assert.deepEqual(await titles("Escape from Chaosland"), ["Escape from Chaosland"], "the phrase as typed");
    assert.deepEqual(await titles("chaosland escape"), ["Escape from Chaosland"], "words out of order, lower case");
    assert.deepEqual(await titles("CHAOSLAND"), ["Escape from Chaosland"], "upper case");
    assert.deepEqual(await titles("chaoss"), ["Escape from Chaosland"], "a typo in a prefix");
    assert.deepEqual(await titles("chaosland escpe"), ["Escape from Chaosland"], "a missing letter next to an exact word");
    assert.deepEqual(await titles("Soundtrack 2"), ["Theme 2.0", "Theme 2.1", "Theme 2.2", "Theme 2.3"], "a matching phrase is not split into words");
    assert.deepEqual(await titles("composer chaosland"), ["Escape from Chaosland"], "words across fields");
    assert.deepEqual(await titles("qqqq"), [], "nothing near");
    assert.deepEqual(await titles("xyz"), [], "short words are never widened");

    // LIKE's wildcards and its escape character are searched for as typed (they matched every track).
    await handle.db.track.update({ where: { id: seeded[7]!.id }, data: { title: "100% Pure_Noise \\o/" } });
    const literal = ["100% Pure_Noise \\o/"];
    assert.deepEqual(await titles("%"), literal, "% is a percent sign");
    assert.deepEqual(await titles("_"), literal, "_ is an underscore");
    assert.deepEqual(await titles("0% pure_n"), literal, "in a phrase, case-insensitive");
    assert.deepEqual(await titles("\\"), literal, "a backslash");
    assert.deepEqual(await titles("%%"), [], "two percent signs are not in any title");
  } finally {
    await api.close();
    await handle.close();
  }
});
