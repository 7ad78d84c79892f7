import { test } from "node:test";
import assert from "node:assert/strict";
import { freshDb } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";
import { startApi } from "../support/api.js";

test("too deep and too costly queries are refused with 400 and a reason, without stack traces, and the server keeps serving", async () => {
  const handle = await freshDb();
  const api = await startApi(handle.db);
  try {
    await seedCatalog(handle.db, 2, 3);
    const ofType = (n: number): string => (n === 0 ? "name" : `ofType { ${ofType(n - 1)} }`);
    const deep = await api.query(`{ __schema { types { fields { type { ${ofType(12)} } } } } }`);
    assert.equal(deep.status, 400);
    const deepError = deep.body.errors?.[0] as { message: string; extensions: Record<string, unknown> };
    assert.equal(deepError.extensions.code, "BAD_USER_INPUT");
    assert.equal(deepError.extensions.reason, "QUERY_TOO_DEEP");
    assert.match(deepError.message, /nested 17 levels deep; the limit is 15/);
    assert.equal(deepError.extensions.stacktrace, undefined);

    // The page size comes from a variable: the cost is only known with it.
    const page = `query ($n: Int!, $k: Int!) { tracks(first: $n) { edges { node { id title artist { name } similar(k: $k) { score track { title } } } } } }`;
    const costly = await api.query(page, { n: 500, k: 50 });
    assert.equal(costly.status, 400);
    const costError = costly.body.errors?.[0] as { message: string; extensions: Record<string, unknown> };
    assert.equal(costError.extensions.reason, "QUERY_TOO_COSTLY");
    assert.equal(costError.extensions.limit, 10000);
    assert.ok((costError.extensions.cost as number) > 10000);

    const fine = await api.query<{ tracks: { edges: unknown[] } }>(
      `query ($n: Int!) { tracks(first: $n) { edges { node { id title artist { name } album { title } outlierFlags { kind status } } } } }`,
      { n: 500 },
    );
    assert.equal(fine.body.errors, undefined);
    assert.equal(fine.body.data?.tracks.edges.length, 6);

    const health = await api.query<{ health: { ok: boolean } }>("{ health { ok } }");
    assert.equal(health.body.data?.health.ok, true);
  } finally {
    await api.close();
    await handle.close();
  }
});

test("a variable of the wrong type is refused with 400 and graphql-js's message naming it, not an internal error", async () => {
  const handle = await freshDb();
  const api = await startApi(handle.db);
  try {
    const page = `query ($n: Int!) { tracks(first: $n) { edges { node { id } } } }`;
    for (const variables of [{ n: "x" }, { n: 1.5 }, {}, { n: null }]) {
      const bad = await api.query(page, variables);
      assert.equal(bad.status, 400, JSON.stringify(variables));
      const error = bad.body.errors?.[0] as { message: string; extensions: Record<string, unknown> };
      assert.equal(error.extensions.code, "BAD_USER_INPUT");
      assert.equal(error.extensions.reason, "INVALID_VARIABLE");
      assert.match(error.message, /Variable "\$n"/);
      assert.equal(error.extensions.stacktrace, undefined);
    }
    const fine = await api.query<{ tracks: { edges: unknown[] } }>(page, { n: 5 });
    assert.equal(fine.body.errors, undefined);
  } finally {
    await api.close();
    await handle.close();
  }
});
