import { GraphQLError, getVariableValues, validate } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { costLimitRule } from "./query-cost.js";
import { depthLimitRule } from "./query-depth.js";

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

/**
 * Deep enough for graphql-js's standard introspection query (15 levels; the workbench's own queries need under
 * 10). The cost limit admits a 500-track page with about 20 nested fields each.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 15, maxCost: 10_000 };

/**
 * Runs the depth and cost rules once Apollo has parsed and validated the operation. They cannot be ordinary
 * `validationRules`: Apollo caches validation per document, without variables, and re-labels their errors
 * GRAPHQL_VALIDATION_FAILED; here the cost sees `first: $n` and the error keeps its code, with HTTP 400.
 */
export function queryLimitsPlugin(limits: QueryLimits = DEFAULT_QUERY_LIMITS): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], request.variables ?? {});
          const variables = coerced.coerced ?? request.variables ?? {};
          const [error] = validate(schema, document, [depthLimitRule(limits.maxDepth), costLimitRule(limits.maxCost, variables)]);
          if (error) throw new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, http: { status: 400 } } });
        },
      };
    },
  };
}
