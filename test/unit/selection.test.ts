import { test } from "node:test";
import assert from "node:assert/strict";
import { buildSchema, execute, parse, type GraphQLResolveInfo } from "graphql";
import { selectedFields } from "@curator/server/resolvers/selection.js";

const schema = buildSchema(`
  type Query { page: Page }
  type Page { edges: [Edge!]! count: Int }
  type Edge { node: Item! cursor: String }
  type Item { id: Int! name: String artist: Item flags: [Item!] }
`);

/** What `page` sees as selected at edges.node for a document. */
function nodeFields(doc: string): string[] {
  let seen: Set<string> | undefined;
  const result = execute({
    schema,
    document: parse(doc),
    rootValue: { page: (_: unknown, __: unknown, info: GraphQLResolveInfo) => ((seen = selectedFields(info, ["edges", "node"])), null) },
  });
  assert.ok(!("then" in result) && !result.errors, JSON.stringify(result));
  return [...seen!].sort();
}

test("selectedFields names the fields under a path, through fragments, inline fragments and aliases", () => {
  assert.deepEqual(nodeFields(`{ page { count edges { cursor node { id name } } } }`), ["id", "name"]);
  assert.deepEqual(nodeFields(`{ page { edges { node { id ...A } } } } fragment A on Item { who: artist { name } }`), ["artist", "id"]);
  assert.deepEqual(nodeFields(`{ page { ... on Page { edges { node { flags { id } } } } edges { node { id } } } }`), ["flags", "id"]);
  assert.deepEqual(nodeFields(`{ page { count } }`), []);
});
