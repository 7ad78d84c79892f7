import {
  GraphQLError,
  Kind,
  getNamedType,
  isInterfaceType,
  isObjectType,
  valueFromAST,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationRule,
} from "graphql";
import { MAX_PAGE_SIZE } from "../resolvers/limits.js";
import { fragmentsOf } from "./fragments.js";

/** Arguments that say how many items a field returns; everything selected under such a field repeats that often. */
const SIZE_ARGS = ["first", "k"];

/**
 * Refuses operations whose estimated cost exceeds `maxCost`. Every field costs 1, and a field with a `first` or
 * `k` argument multiplies itself and everything under it by that count (capped at MAX_PAGE_SIZE, since larger
 * values are refused by the resolvers with a clearer message). Lists without such an argument count once: they
 * are bounded by the data (a track's flags, a job's bad items). Variables must be given because `first: $n`
 * only has a size once they are known, so this rule runs after validation with the request's variables.
 */
export function costLimitRule(maxCost: number, variables: Record<string, unknown> = {}): ValidationRule {
  return (context) => {
    const fragments = fragmentsOf(context);
    const schema = context.getSchema();
    return {
      OperationDefinition(operation) {
        const root = operation.operation === "mutation" ? schema.getMutationType() : operation.operation === "subscription" ? schema.getSubscriptionType() : schema.getQueryType();
        if (!root) return;
        const cost = costOf(operation.selectionSet, root, { schema, fragments, variables });
        if (cost > maxCost) {
          context.reportError(
            new GraphQLError(`query would cost ${cost} (fields × requested list sizes); the limit is ${maxCost}: ask for smaller pages or fewer nested fields`, {
              nodes: [operation],
              extensions: { code: "BAD_USER_INPUT", reason: "QUERY_TOO_COSTLY", cost, limit: maxCost },
            }),
          );
        }
      },
    };
  };
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function costOf(set: SelectionSetNode, parent: GraphQLNamedType, walk: Walk): number {
  let total = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const def = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[sel.name.value] : undefined;
      const inner = sel.selectionSet && def ? costOf(sel.selectionSet, getNamedType(def.type), walk) : 0;
      total += (def ? sizeOf(sel, def, walk.variables) : 1) * (1 + inner);
      continue;
    }
    const fragment = sel.kind === Kind.INLINE_FRAGMENT ? sel : walk.fragments.get(sel.name.value);
    if (!fragment) continue;
    const condition = fragment.typeCondition ? walk.schema.getType(fragment.typeCondition.name.value) : parent;
    // Branches on different types of a union are all counted: an upper bound, never an underestimate.
    total += costOf(fragment.selectionSet, condition ?? parent, walk);
  }
  return total;
}

function sizeOf(node: FieldNode, def: GraphQLField<unknown, unknown>, variables: Record<string, unknown>): number {
  for (const arg of def.args) {
    if (!SIZE_ARGS.includes(arg.name)) continue;
    const given = node.arguments?.find((a) => a.name.value === arg.name);
    const value = given ? valueFromAST(given.value, arg.type, variables) : arg.defaultValue;
    if (typeof value === "number" && Number.isFinite(value)) return Math.min(Math.max(Math.trunc(value), 1), MAX_PAGE_SIZE);
  }
  return 1;
}
