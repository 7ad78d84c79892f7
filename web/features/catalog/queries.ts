import { gql } from "@urql/core";

export const PAGE_SIZE = 50;

export interface CatalogTrack {
  id: number;
  title: string;
  durationSec: number;
  isShort: boolean;
  isCold: boolean;
  flagged: boolean;
  artist: { id: number; name: string };
  album: { id: number; title: string } | null;
}

export interface TrackPage {
  edges: { cursor: string; node: CatalogTrack }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export type OrderField = "ID" | "TITLE" | "ARTIST" | "DURATION";
export interface TrackOrder {
  field: OrderField;
  direction: "ASC" | "DESC";
}

export interface TrackFilter {
  text?: string;
  cold?: boolean;
  flagged?: boolean;
  minDurationSec?: number;
  maxDurationSec?: number;
}

export interface TracksVariables {
  first: number;
  after?: string | null;
  filter?: TrackFilter | null;
  orderBy?: TrackOrder | null;
}

export const TracksQuery = gql<{ tracks: TrackPage }, TracksVariables>`
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
`;

/** The filter argument for a search text: an empty search asks for everything. */
export function textFilter(text: string): TrackFilter | null {
  return text ? { text } : null;
}
