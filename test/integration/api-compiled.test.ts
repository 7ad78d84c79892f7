// The API runs operations with graphql-jit (server/src/http/compiled-execution.ts): its answers, errors and status
// codes must be graphql-js's. The reference is Apollo Server configured as createApp configures it (limits plugin,
// parse options, production error masking) with graphql-js's execute.
import { test } from "node:test";
import assert from "node:assert/strict";
import "reflect-metadata";
import { ApolloServer, HeaderMap } from "@apollo/server";
import { buildCuratorSchema } from "@curator/server/build-schema.js";
import { createLoaders } from "@curator/server/context.js";
import { IndexRegistry } from "@curator/server/index/registry.js";
import { QUERY_PARSE_OPTIONS, queryLimitsPlugin } from "@curator/server/limits/plugin.js";
import { maskInternalErrors } from "@curator/server/http/mask-errors.js";
import { createLogger } from "@curator/worker/log.js";
import { freshDb, testBackend } from "../support/db.js";
import { startApi } from "../support/api.js";

test(`compiled execution answers as graphql-js does, errors included, on ${testBackend()}`, async () => {
  const handle = await freshDb();
  const { db } = handle;
  const api = await startApi(db);
  const reference = new ApolloServer({
    schema: await buildCuratorSchema(),
    introspection: true,
    plugins: [queryLimitsPlugin()],
    parseOptions: QUERY_PARSE_OPTIONS,
    formatError: maskInternalErrors(createLogger("reference")),
    hideSchemaDetailsFromClientErrors: true,
  });
  await reference.start();
  const indexes = new IndexRegistry(db, { log: () => undefined });
  const viaGraphqlJs = async (query: string, variables?: Record<string, unknown>) => {
    const headers = new HeaderMap();
    headers.set("content-type", "application/json");
    const res = await reference.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: "POST", headers, search: "", body: variables ? { query, variables } : { query } },
      context: async () => ({ db, indexes, loaders: createLoaders(db, indexes), viewer: null, mediaUrl: (path: string) => path }),
    });
    assert.equal(res.body.kind, "complete");
    return { status: res.status ?? 200, body: JSON.parse(res.body.kind === "complete" ? res.body.string : "{}") as unknown };
  };
  try {
    const artist = await db.artist.create({ data: { name: "Composer" } });
    const album = await db.album.create({ data: { title: "Soundtrack", source: "test" } });
    const base = { artistId: artist.id, albumId: album.id, durationSec: 100, channels: 2, sampleRate: 44100, codec: "vorbis" };
    await db.track.createMany({ data: [1, 2, 3].map((i) => ({ ...base, externalId: `t/${i}`, title: `Theme ${i}`, position: i, audioPath: `/none/${i}.ogg`, contentHash: `t-${i}` })) });
    const first = (await db.track.findFirstOrThrow({ orderBy: { id: "asc" } })).id;
    const cases: [string, Record<string, unknown>?][] = [
      ["{ tracks(first: 2) { totalCount edges { cursor node { id title durationSec artist { name } album { title } outlierFlags { kind } } } pageInfo { hasNextPage } } }"],
      ["query ($id: Int!) { track(id: $id) { id title position } }", { id: first }],
      ["query ($id: Int!) { track(id: $id) { id } }", { id: "x" }],
      ["query ($id: Int!) { track(id: $id) { id } }", {}],
      ["query ($n: Int!) { tracks(first: $n) { totalCount } }", { n: -1 }],
      ["{ track(id: 999999) { id } }"],
      ["query ($id: Int!) { track(id: $id) { similar(k: 5) { score } } }", { id: first }],
      // An input object's field default inside a variable (direction = ASC): graphql-jit's own coercion missed it.
      ["query ($o: TrackOrder) { tracks(first: 3, orderBy: $o) { edges { node { title } } } }", { o: { field: "TITLE" } }],
    ];
    for (const [query, variables] of cases) {
      const ours = await api.query(query, variables);
      const expected = await viaGraphqlJs(query, variables);
      assert.equal(ours.status, expected.status, `${query} ${JSON.stringify(variables)}: status`);
      assert.deepEqual(ours.body, expected.body, `${query} ${JSON.stringify(variables)}: body`);
    }
  } finally {
    await reference.stop();
    await api.close();
    await handle.close();
  }
});
