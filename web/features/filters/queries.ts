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
  /** What the picture's axes and colours mean (null where there is no picture). */
  weightAxes: WeightAxes | null;
  topTracks: { rank: number; value: number; track: FilterTrackData }[];
}

export interface WeightAxes {
  frames: number;
  frameSec: number;
  melBands: number;
  ticks: { hz: number; band: number }[];
}

export interface FilterTrackData {
  id: number;
  title: string;
  artist: { name: string };
  audioUrl: string;
  /** What the preview plays, e.g. "MP3 (rendition of the IT module)". */
  audioCodec: string;
  excerptStartSec: number;
}

export const FiltersQuery = gql<
  { filters: { edges: { node: FilterCardData }[]; totalCount: number } },
  { layer: Layer; mode: Mode; first: number; top: number; fromIndex: number }
>`
  query Filters($layer: FilterLayer!, $mode: ActivationMode!, $first: Int!, $top: Int!, $fromIndex: Int) {
    filters(layer: $layer, first: $first, fromIndex: $fromIndex) {
      edges { node { id index name weightImageUrl weightAxes { frames frameSec melBands ticks { hz band } } topTracks(first: $top, mode: $mode) { rank value track { id title artist { name } audioUrl audioCodec excerptStartSec } } } }
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
