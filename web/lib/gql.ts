// Imported under another name: gql.tada check takes any `gql` tagged template for a static query to validate.
import { gql as joinDocuments, type TypedDocumentNode } from "@urql/core";
import { initGraphQLTada, type TadaDocumentNode } from "gql.tada";
import type { introspection } from "@/generated/graphql-env";

/**
 * Every query and mutation in web/ is written with this tag: tsc infers its result and variables from the query
 * text and server/schema.graphql (through generated/graphql-env.d.ts, `npm run schema`), so a field the schema
 * lacks, or one a component reads that the query does not select, fails the type check. Fragments are unmasked:
 * a spread's fields are read directly, as the shared field lists were before.
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTimeISO: string };
  disableMasking: true;
}>();

export type { ResultOf, VariablesOf } from "gql.tada";

/** A schema enum as a union of its values, e.g. `Enum<"FlagStatus">`. */
export type Enum<Name extends string> = ReturnType<typeof graphql.scalar<Name>>;

/**
 * One aliased `track(id:)` per id (`t<id>`), each spreading `fragment`: the API has no "tracks by ids" field and a
 * typed query's text is fixed, so this document is put together at run time; the fragment keeps its rows typed.
 */
export function tracksById<Data, Variables, Name extends string>(
  name: string,
  ids: readonly number[],
  fragment: TadaDocumentNode<Data, Variables, { fragment: Name; on: "Track"; masked: false }>,
): TypedDocumentNode<Record<string, Data | null>, Record<string, never>> {
  const definition = fragment.definitions[0];
  if (!definition || !("name" in definition) || !definition.name) throw new Error("tracksById: the fragment has no name");
  const fields = ids.map((id) => `t${id}: track(id: ${id}) { ...${definition.name!.value} }`).join("\n");
  return joinDocuments`query ${name} { ${fields} } ${fragment}`;
}
