import { graphql, type Enum, type ResultOf, type VariablesOf } from "@/lib/gql";

export const PAGE_SIZE = 50;

export const TracksQuery = graphql(`
  query Tracks($first: Int!, $after: String, $filter: TrackFilter, $orderBy: TrackOrder) {
    tracks(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      edges {
        cursor
        node {
          id
          title
          durationSec
          isShort
          isCold
          flagged
          artist { id name }
          album { id title }
        }
      }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`);

export type TrackPage = ResultOf<typeof TracksQuery>["tracks"];
export type CatalogTrack = TrackPage["edges"][number]["node"];
export type OrderField = Enum<"TrackOrderField">;
type OrderInput = NonNullable<VariablesOf<typeof TracksQuery>["orderBy"]>;
/** The catalogue always sends both (the schema defaults either when left out). */
export type TrackOrder = { [Key in keyof OrderInput]-?: NonNullable<OrderInput[Key]> };
export type TrackFilter = NonNullable<VariablesOf<typeof TracksQuery>["filter"]>;

/** The filter argument for a search text: an empty search asks for everything. */
export function textFilter(text: string): TrackFilter | null {
  return text ? { text } : null;
}
