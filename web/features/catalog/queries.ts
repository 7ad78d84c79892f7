import { gql } from "@urql/core";

export const PAGE_SIZE = 50;

export interface CatalogTrack {
  id: number;
  title: string;
  durationSec: number;
  isShort: boolean;
  artist: { id: number; name: string };
  album: { id: number; title: string } | null;
}

export interface TrackPage {
  edges: { cursor: string; node: CatalogTrack }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export interface TracksVariables {
  first: number;
  after?: string | null;
  filter?: { text?: string } | null;
}

export const TracksQuery = gql<{ tracks: TrackPage }, TracksVariables>`
  query Tracks($first: Int!, $after: String, $filter: TrackFilter) {
    tracks(first: $first, after: $after, filter: $filter) {
      edges {
        cursor
        node {
          id
          title
          durationSec
          isShort
          artist { id name }
          album { id title }
        }
      }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`;

/** The filter argument for a search text: an empty search asks for everything. */
export function textFilter(text: string): TracksVariables["filter"] {
  return text ? { text } : null;
}
