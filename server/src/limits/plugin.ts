import { GraphQLError, getVariableValues, validate, type DocumentNode } from "graphql";
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

/** Verdicts kept per document: enough for every variable combination a client repeats; more start over. */
const VERDICTS_PER_DOCUMENT = 64;

/**
 * Runs the depth and cost rules once Apollo has parsed and validated the operation. They cannot be ordinary
 * `validationRules`: Apollo caches validation per document, without variables, and re-labels their errors
 * GRAPHQL_VALIDATION_FAILED; here the cost sees `first: $n` and the error keeps its code, with HTTP 400.
 * Apollo's document cache hands back the same DocumentNode for a repeated query string, so the verdict is
 * kept per document, operation and variables: a repeated query does not walk the document again.
 */
export function queryLimitsPlugin(limits: QueryLimits = DEFAULT_QUERY_LIMITS): ApolloServerPlugin {
  const verdicts = new WeakMap<DocumentNode, Map<string, GraphQLError | null>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], request.variables ?? {});
          const variables = coerced.coerced ?? request.variables ?? {};
          let known = verdicts.get(document);
          if (!known) verdicts.set(document, (known = new Map()));
          const key = `${operation?.name?.value ?? ""}\n${JSON.stringify(variables)}`;
          let error = known.get(key);
          if (error === undefined) {
            error = validate(schema, document, [depthLimitRule(limits.maxDepth), costLimitRule(limits.maxCost, variables)])[0] ?? null;
            if (known.size >= VERDICTS_PER_DOCUMENT) known.clear();
            known.set(key, error);
          }
          if (error) throw new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, http: { status: 400 } } });
        },
      };
    },
  };
}
