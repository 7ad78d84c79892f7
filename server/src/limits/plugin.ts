import { GraphQLError, getVariableValues, validate, type DocumentNode, type ParseOptions, type ValidationRule } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import type { Context } from "../context.js";
import { costLimitRule } from "./query-cost.js";
import { depthLimitRule } from "./query-depth.js";
import { measureLists } from "./measured-lists.js";

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  /** Aliased fields per operation: each alias runs its resolver again. */
  maxAliases: number;
}

/**
 * Deep enough for graphql-js's standard introspection query (15 levels; the workbench's own queries need under
 * 10). The cost limit admits a 500-track page with about 20 nested fields each. 15 aliases is graphql-armor's
 * default; the workbench's queries use none.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 15, maxCost: 10_000, maxAliases: 15 };

/**
 * Handed to Apollo's `parseOptions`: graphql-js stops parsing a document past this many tokens, before any
 * rule walks it. The introspection query is about 300 tokens; the workbench's largest query under 200.
 */
export const QUERY_PARSE_OPTIONS: ParseOptions = { maxTokens: 5_000 };

/** Verdicts kept per document: enough for every variable combination a client repeats; more start over. */
const VERDICTS_PER_DOCUMENT = 64;

/**
 * Runs the depth, alias and cost rules once Apollo has parsed and validated the operation. They cannot be
 * ordinary `validationRules`: Apollo caches validation per document, without variables, and re-labels their
 * errors GRAPHQL_VALIDATION_FAILED; here the cost sees `first: $n` and the measured list sizes, and the error
 * keeps its code, with HTTP 400. Apollo's document cache hands back the same DocumentNode for a repeated query
 * string, so the verdict is kept per document, operation, variables and measured sizes.
 */
export function queryLimitsPlugin(limits: QueryLimits = DEFAULT_QUERY_LIMITS): ApolloServerPlugin<Context> {
  const verdicts = new WeakMap<DocumentNode, Map<string, GraphQLError | null>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], request.variables ?? {});
          // A variable of the wrong type ({"id": "x"} for Int!) is the caller's mistake: report graphql-js's message
          // (it names the variable) with 400, before the cost rule coerces the variables again and throws.
          const invalid = coerced.errors?.[0];
          if (invalid) throw badVariable(invalid);
          const variables = coerced.coerced ?? {};
          const measured = await measureLists(contextValue.db, document);
          let known = verdicts.get(document);
          if (!known) verdicts.set(document, (known = new Map()));
          const key = `${operation?.name?.value ?? ""}\n${JSON.stringify(variables)}\n${JSON.stringify(measured)}`;
          let error = known.get(key);
          if (error === undefined) {
            error = validate(schema, document, [depthLimitRule(limits.maxDepth), aliasLimitRule(limits.maxAliases)])[0] ?? null;
            error ??= validate(schema, document, [costLimitRule(limits.maxCost, variables, measured)])[0] ?? null;
            if (known.size >= VERDICTS_PER_DOCUMENT) known.clear();
            known.set(key, error);
          }
          if (error) throw new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, http: { status: 400 } } });
        },
      };
    },
  };
}

function badVariable(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    extensions: { code: "BAD_USER_INPUT", reason: "INVALID_VARIABLE", http: { status: 400 } },
  });
}

/** graphql-armor's alias count, reported with this API's code and reason instead of its "Syntax Error". */
export function aliasLimitRule(maxAliases: number): ValidationRule {
  return maxAliasesRule({
    n: maxAliases,
    propagateOnRejection: false,
    onReject: [
      (context, error) =>
        context?.reportError(
          new GraphQLError(`${error.message.replace(/^Syntax Error: /, "")} Ask for each field once, or split the query.`, {
            extensions: { code: "BAD_USER_INPUT", reason: "QUERY_TOO_MANY_ALIASES", limit: maxAliases },
          }),
        ),
    ],
  });
}
