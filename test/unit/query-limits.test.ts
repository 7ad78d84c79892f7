import { test } from "node:test";
import assert from "node:assert/strict";
import { buildSchema, getIntrospectionQuery, parse, validate } from "graphql";
import { costLimitRule } from "@curator/server/limits/query-cost.js";
import { depthLimitRule } from "@curator/server/limits/query-depth.js";
import { DEFAULT_QUERY_LIMITS, QUERY_PARSE_OPTIONS, aliasLimitRule } from "@curator/server/limits/plugin.js";

const schema = buildSchema(`
  type Query { items(first: Int = 10): [Item!]! item: Item map: Map }
  type Item { id: Int! name: String! related(k: Int!): [Item!]! parent: Item units(top: Int = 5): [Item!]! }
  type Map { columns: Columns }
  type Columns { xs: String ys: String }
`);

function depthErrors(doc: string, max: number) {
  return validate(schema, parse(doc), [depthLimitRule(max)]);
}
function cost(doc: string, variables: Record<string, unknown> = {}, measured: Record<string, number> = {}): number {
  const [error] = validate(schema, parse(doc), [costLimitRule(0, variables, measured)]);
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
  const introspection = parse(getIntrospectionQuery(), QUERY_PARSE_OPTIONS);
  assert.deepEqual(validate(schema, introspection, [depthLimitRule(DEFAULT_QUERY_LIMITS.maxDepth), costLimitRule(DEFAULT_QUERY_LIMITS.maxCost)]), []);
  const [error] = validate(schema, parse(`{ items(first: 500) { related(k: 100) { id } } }`), [costLimitRule(DEFAULT_QUERY_LIMITS.maxCost)]);
  assert.equal(error?.extensions.reason, "QUERY_TOO_COSTLY");
  assert.match(error!.message, /the limit is 10000/);
});

test("every alias counts, `top` sizes a list like `first`, and a measured list multiplies by its size", () => {
  assert.equal(cost(`{ a: item { id } b: item { id } c: item { id } }`), 3 * 2);
  assert.equal(cost(`{ item { units { id } } }`), 1 + 5 * 2, "schema default top = 5");
  assert.equal(cost(`{ item { units(top: 50) { id } } }`), 1 + 50 * 2);
  assert.equal(cost(`{ map { columns { xs ys } } }`), 1 + 1 * 3, "unmeasured: counted once");
  assert.equal(cost(`{ map { columns { xs ys } } }`, {}, { "Map.columns": 40 }), 1 + 40 * 3);
  assert.equal(cost(`{ a: map { columns { xs } } b: map { columns { xs } } }`, {}, { "Map.columns": 40 }), 2 * (1 + 40 * 2));
});

test("more aliases than the limit are refused with a reason; graphql-armor counts them through fragments", () => {
  const doc = parse(`{ a: item { ...F } b: item { id } } fragment F on Item { x: id y: name }`);
  assert.deepEqual(validate(schema, doc, [aliasLimitRule(4)]), []);
  const [error] = validate(schema, doc, [aliasLimitRule(3)]);
  assert.equal(error?.extensions.reason, "QUERY_TOO_MANY_ALIASES");
  assert.equal(error?.extensions.code, "BAD_USER_INPUT");
  assert.match(error!.message, /Aliases limit of 3 exceeded, found 4/);
});
