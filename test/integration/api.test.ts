import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { printCuratorSchema } from "@curator/server/print-schema.js";
import { freshDb, testBackend } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";
import { startApi } from "../support/api.js";

type TracksPage = { tracks: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { id: number; title: string; artist: { name: string }; album: { title: string } | null } }[] } };

const PAGE = `query ($first: Int!, $after: String, $filter: TrackFilter) {
  tracks(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id title artist { name } album { title } } }
  }
}`;

test(`GraphQL API over HTTP on ${testBackend()}`, async () => {
  const handle = await freshDb();
  const api = await startApi(handle.db);
  try {
    const seeded = await seedCatalog(handle.db, 3, 4);

    const health = await api.query<{ health: { ok: boolean; tracks: number; database: string } }>("{ health { ok tracks database } }");
    assert.deepEqual(health.body.data?.health, { ok: true, tracks: 12, database: testBackend() === "sqlite" ? "sqlite" : "postgres" });

    // Pages chain through cursors and cover every track exactly once, with nested artist and album.
    const seen: number[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { body: { data?: TracksPage } } = await api.query<TracksPage>(PAGE, { first: 5, after });
      const tracks = page.body.data!.tracks;
      assert.equal(tracks.totalCount, 12);
      for (const { node } of tracks.edges) {
        const expected = seeded.find((s) => s.id === node.id)!;
        assert.equal(node.artist.name, expected.artist);
        assert.equal(node.album?.title, expected.album);
        seen.push(node.id);
      }
      if (!tracks.pageInfo.hasNextPage) break;
      after = tracks.pageInfo.endCursor;
    }
    assert.deepEqual(seen, seeded.map((s) => s.id));

    const filtered = await api.query<TracksPage>(PAGE, { first: 50, filter: { text: "Soundtrack 1" } });
    assert.equal(filtered.body.data!.tracks.totalCount, 4);

    const tooMany = await api.query(PAGE, { first: 100000 });
    assert.equal(tooMany.body.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
    assert.match(tooMany.body.errors![0]!.message, /first must be between 1 and 500/);

    const badCursor = await api.query(PAGE, { first: 5, after: "garbage" });
    assert.equal(badCursor.body.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");

    const missing = await api.query<{ track: null }>("{ track(id: 999999) { id } }");
    assert.equal(missing.body.data?.track, null);
  } finally {
    await api.close();
    await handle.close();
  }
});

test("oversized and malformed request bodies get clear errors and the server keeps serving", async () => {
  const handle = await freshDb();
  const api = await startApi(handle.db);
  try {
    const huge = await fetch(api.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `{ health { ok } } #${"x".repeat(400_000)}` }) });
    assert.equal(huge.status, 413);
    const notJson = await fetch(api.url, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    assert.equal(notJson.status, 400);
    const after = await api.query<{ health: { ok: boolean } }>("{ health { ok } }");
    assert.equal(after.body.data?.health.ok, true);
  } finally {
    await api.close();
    await handle.close();
  }
});

test("server/schema.graphql matches the schema the code defines", async () => {
  const checkedIn = readFileSync(fileURLToPath(new URL("../../../server/schema.graphql", import.meta.url)), "utf8");
  assert.equal(await printCuratorSchema(), checkedIn, "schema changed: run `node server/dist/print-schema.js server/schema.graphql` and review the diff");
});
