import { Kind, type FragmentDefinitionNode, type ValidationContext } from "graphql";

/** Fragment definitions by name: the limit rules follow spreads into them. */
export function fragmentsOf(context: ValidationContext): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of context.getDocument().definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  return fragments;
}
