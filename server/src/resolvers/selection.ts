import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";

/**
 * Names of the fields a query selects at `path` below the resolving field (e.g. ["edges", "node"] under a
 * connection), through fragments and aliases. Directives are not evaluated: a field under @skip counts as
 * selected, which at worst reads a relation nobody asked for.
 */
export function selectedFields(info: GraphQLResolveInfo, path: readonly string[]): Set<string> {
  let sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const name of path) {
    sets = sets.flatMap((set) => fieldsOf(set, info).flatMap((field) => (field.name === name && field.selectionSet ? [field.selectionSet] : [])));
  }
  return new Set(sets.flatMap((set) => fieldsOf(set, info).map((field) => field.name)));
}

function fieldsOf(set: SelectionSetNode, info: GraphQLResolveInfo): { name: string; selectionSet: SelectionSetNode | undefined }[] {
  return set.selections.flatMap((sel) => {
    if (sel.kind === Kind.FIELD) return [{ name: sel.name.value, selectionSet: sel.selectionSet }];
    const inner = sel.kind === Kind.INLINE_FRAGMENT ? sel.selectionSet : info.fragments[sel.name.value]?.selectionSet;
    return inner ? fieldsOf(inner, info) : [];
  });
}
