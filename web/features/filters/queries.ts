import { gql } from "@urql/core";

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
  { layer: Layer; mode: Mode; first: number; top: number }
>`
  query Filters($layer: FilterLayer!, $mode: ActivationMode!, $first: Int!, $top: Int!) {
    filters(layer: $layer, first: $first) {
      edges { node { id index name weightImageUrl topTracks(first: $top, mode: $mode) { rank value track { id title artist { name } audioUrl excerptStartSec } } } }
      totalCount
    }
  }
`;

export const RenameFilter = gql<{ renameFilter: { id: number; name: string | null } }, { id: number; name: string | null }>`
  mutation RenameFilter($id: Int!, $name: String) { renameFilter(id: $id, name: $name) { id name } }
`;

export const FilterPlaylist = gql<{ generatePlaylist: { id: number; name: string } }, { filterId: number; mode: Mode }>`
  mutation FilterPlaylist($filterId: Int!, $mode: ActivationMode!) { generatePlaylist(input: { filterId: $filterId, mode: $mode }) { id name } }
`;
