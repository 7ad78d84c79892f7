import { test } from "node:test";
import assert from "node:assert/strict";
import { buildSchema, getIntrospectionQuery, parse, validate } from "graphql";
import { costLimitRule } from "@curator/server/limits/query-cost.js";
import { depthLimitRule } from "@curator/server/limits/query-depth.js";
import { DEFAULT_QUERY_LIMITS } from "@curator/server/limits/plugin.js";

const schema = buildSchema(`
  type Query { items(first: Int = 10): [Item!]! item: Item }
  type Item { id: Int! name: String! related(k: Int!): [Item!]! parent: Item }
`);

function depthErrors(doc: string, max: number) {
  return validate(schema, parse(doc), [depthLimitRule(max)]);
}
function cost(doc: string, variables: Record<string, unknown> = {}): number {
  const [error] = validate(schema, parse(doc), [costLimitRule(0, variables)]);
  return error?.extensions.cost as number;
}

test("depth counts fields through inline fragments and fragment spreads", () => {
  const doc = `{ item { parent { ...P } } } fragment P on Item { parent { ... on Item { parent { id } } } }`;
  assert.equal(depthErrors(doc, 5).length, 0);
  const [error] = depthErrors(doc, 4);
  assert.equal(error?.extensions.reason, "QUERY_TOO_DEEP");
  assert.equal(error?.extensions.code, "BAD_USER_INPUT");
  assert.equal(error?.extensions.depth, 5);
});

test("cost multiplies everything under a field by its first / k, from literals, variables or the argument default", () => {
  assert.equal(cost(`{ item { id name } }`), 3);
  assert.equal(cost(`{ items(first: 4) { id name } }`), 4 * 3);
  assert.equal(cost(`{ items { id } }`), 10 * 2, "schema default first = 10");
  assert.equal(cost(`query ($n: Int) { items(first: $n) { id related(k: 5) { id } } }`, { n: 3 }), 3 * (1 + 1 + 5 * 2));
  assert.equal(cost(`{ items(first: 2) { ...F } } fragment F on Item { id }`), 2 * 2);
  assert.equal(cost(`{ items(first: 1000000) { id } }`), 500 * 2, "sizes are capped at the largest page a resolver accepts");
});

test("the default limits admit introspection and refuse a fan-out", () => {
  const introspection = parse(getIntrospectionQuery());
  assert.deepEqual(validate(schema, introspection, [depthLimitRule(DEFAULT_QUERY_LIMITS.maxDepth), costLimitRule(DEFAULT_QUERY_LIMITS.maxCost)]), []);
  const [error] = validate(schema, parse(`{ items(first: 500) { related(k: 100) { id } } }`), [costLimitRule(DEFAULT_QUERY_LIMITS.maxCost)]);
  assert.equal(error?.extensions.reason, "QUERY_TOO_COSTLY");
  assert.match(error!.message, /the limit is 10000/);
});
