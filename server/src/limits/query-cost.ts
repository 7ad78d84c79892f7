import { GraphQLError, type ValidationRule } from "graphql";
import { createRequire } from "node:module";
import type * as Complexity from "graphql-query-complexity";
import type { ComplexityEstimator } from "graphql-query-complexity";
import { MAX_PAGE_SIZE } from "../resolvers/limits.js";

// Its CommonJS build: the ESM one imports graphql/index.mjs, a second graphql beside the one this package loads.
const { fieldExtensionsEstimator, getComplexity, simpleEstimator } = createRequire(import.meta.url)("graphql-query-complexity") as typeof Complexity;

/** Arguments that say how many items a field returns; everything selected under such a field repeats that often. */
const SIZE_ARGS = ["first", "k", "top"];

/**
 * How many times a list field without a size argument repeats its selection, measured from the data before the
 * query runs (`"LatentMap.packed"` → the current map's size in thousands of points). See measured-lists.ts.
 */
export type MeasuredLists = Readonly<Record<string, number>>;

/**
 * Refuses operations whose estimated cost exceeds `maxCost`, counted by graphql-query-complexity. Every field
 * costs 1; a field with a `first`, `k` or `top` argument multiplies itself and everything under it by that count
 * (capped at MAX_PAGE_SIZE, since larger values are refused by the resolvers with a clearer message); a list
 * whose length is the data's multiplies by its measured size; each alias counts as its own field. Variables
 * must be given because `first: $n` only has a size once they are known, so this rule runs after validation
 * with the request's variables.
 */
export function costLimitRule(maxCost: number, variables: Record<string, unknown> = {}, measured: MeasuredLists = {}): ValidationRule {
  const estimators = [fieldExtensionsEstimator(), measuredEstimator(measured), sizeEstimator(), simpleEstimator({ defaultComplexity: 1 })];
  return (context) => ({
    OperationDefinition(operation) {
      const cost = getComplexity({ schema: context.getSchema(), query: context.getDocument(), variables, operationName: operation.name?.value, estimators });
      if (cost > maxCost) {
        context.reportError(
          new GraphQLError(`query would cost ${cost} (fields × requested list sizes); the limit is ${maxCost}: ask for smaller pages, fewer aliases or fewer nested fields`, {
            nodes: [operation],
            extensions: { code: "BAD_USER_INPUT", reason: "QUERY_TOO_COSTLY", cost, limit: maxCost },
          }),
        );
      }
    },
  });
}

function sizeEstimator(): ComplexityEstimator {
  // graphql-query-complexity has coerced the arguments (literals, variables, defaults) into `args` already.
  return ({ args, childComplexity }) => {
    for (const name of SIZE_ARGS) {
      const value: unknown = args[name];
      if (typeof value === "number" && Number.isFinite(value)) return Math.min(Math.max(Math.trunc(value), 1), MAX_PAGE_SIZE) * (1 + childComplexity);
    }
    return undefined;
  };
}

function measuredEstimator(measured: MeasuredLists): ComplexityEstimator {
  return ({ type, field, childComplexity }) => {
    const size = measured[`${type.name}.${field.name}`];
    return size === undefined ? undefined : Math.max(size, 1) * (1 + childComplexity);
  };
}
