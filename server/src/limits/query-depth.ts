import { GraphQLError, Kind, type FragmentDefinitionNode, type SelectionSetNode, type ValidationRule } from "graphql";
import { fragmentsOf } from "./fragments.js";

/**
 * Refuses operations nested deeper than `maxDepth` fields (fragments count as the fields they contain). Depth,
 * not size, is what lets a small document fan out through track → similar → track → similar…
 */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context) => {
    const fragments = fragmentsOf(context);
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, fragments);
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`query is nested ${depth} levels deep; the limit is ${maxDepth}`, {
              nodes: [operation],
              extensions: { code: "BAD_USER_INPUT", reason: "QUERY_TOO_DEEP", depth, limit: maxDepth },
            }),
          );
        }
      },
    };
  };
}

function depthOf(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): number {
  let deepest = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      deepest = Math.max(deepest, 1 + (sel.selectionSet ? depthOf(sel.selectionSet, fragments) : 0));
    } else {
      // Fragment cycles were refused by the standard rules, which run first.
      const inner = sel.kind === Kind.INLINE_FRAGMENT ? sel.selectionSet : fragments.get(sel.name.value)?.selectionSet;
      if (inner) deepest = Math.max(deepest, depthOf(inner, fragments));
    }
  }
  return deepest;
}
