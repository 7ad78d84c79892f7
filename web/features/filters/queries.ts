import { gql } from "@urql/core";
import type { PlaylistRules } from "@/features/playlists/queries";

export type Layer = "CONV1" | "DENSE";
export type Mode = "MAX" | "MEAN";
export const TOP = 5;
export const PAGE = 48;

export interface FilterCardData {
  id: number;
  index: number;
  name: string | null;
  /** CONV1 only, once the model run stored its weight pictures. */
  weightImageUrl: string | null;
  topTracks: { rank: number; value: number; track: FilterTrackData }[];
}

export interface FilterTrackData {
  id: number;
  title: string;
  artist: { name: string };
  audioUrl: string;
  excerptStartSec: number;
}

export const FiltersQuery = gql<
  { filters: { edges: { node: FilterCardData }[]; totalCount: number } },
  { layer: Layer; mode: Mode; first: number; top: number; fromIndex: number }
>`
  query Filters($layer: FilterLayer!, $mode: ActivationMode!, $first: Int!, $top: Int!, $fromIndex: Int) {
    filters(layer: $layer, first: $first, fromIndex: $fromIndex) {
      edges { node { id index name weightImageUrl topTracks(first: $top, mode: $mode) { rank value track { id title artist { name } audioUrl excerptStartSec } } } }
      totalCount
    }
  }
`;

export const RenameFilter = gql<{ renameFilter: { id: number; name: string | null } }, { id: number; name: string | null }>`
  mutation RenameFilter($id: Int!, $name: String) { renameFilter(id: $id, name: $name) { id name } }
`;

export const FilterPlaylist = gql<{ generatePlaylist: { id: number; name: string } }, { filterId: number; mode: Mode; rules: PlaylistRules | null }>`
  mutation FilterPlaylist($filterId: Int!, $mode: ActivationMode!, $rules: PlaylistRulesInput) {
    generatePlaylist(input: { filterId: $filterId, mode: $mode, rules: $rules }) { id name }
  }
`;

/** The filters page's address for one filter: its layer, the page holding its index, and its card's anchor. */
export function filterHref(filter: { id: number; index: number }, layer: Layer = "CONV1"): string {
  return `/filters?layer=${layer.toLowerCase()}&page=${Math.floor(filter.index / PAGE) + 1}#filter-${filter.id}`;
}
