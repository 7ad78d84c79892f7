import { graphql, type Enum, type ResultOf } from "@/lib/gql";

export type Layer = Enum<"FilterLayer">;
export type Mode = Enum<"ActivationMode">;
export const TOP = 5;
export const PAGE = 48;

/** weightImageUrl: CONV1 only, once the model run stored its weight pictures; weightAxes: what its axes and colours mean; audioCodec: what the preview plays. */
export const FiltersQuery = graphql(`
  query Filters($layer: FilterLayer!, $mode: ActivationMode!, $first: Int!, $top: Int!, $fromIndex: Int) {
    filters(layer: $layer, first: $first, fromIndex: $fromIndex) {
      edges { node { id index name weightImageUrl weightAxes { frames frameSec melBands ticks { hz band } } topTracks(first: $top, mode: $mode) { rank value track { id title artist { name } audioUrl audioCodec excerptStartSec } } } }
      totalCount
    }
  }
`);

export type FilterCardData = ResultOf<typeof FiltersQuery>["filters"]["edges"][number]["node"];
export type WeightAxes = NonNullable<FilterCardData["weightAxes"]>;

export const RenameFilter = graphql(`
  mutation RenameFilter($id: Int!, $name: String) { renameFilter(id: $id, name: $name) { id name } }
`);

export const FilterPlaylist = graphql(`
  mutation FilterPlaylist($filterId: Int!, $mode: ActivationMode!, $rules: PlaylistRulesInput) {
    generatePlaylist(input: { filterId: $filterId, mode: $mode, rules: $rules }) { id name }
  }
`);

/** The filters page's address for one filter: its layer, the page holding its index, and its card's anchor. */
export function filterHref(filter: { id: number; index: number }, layer: Layer = "CONV1"): string {
  return `/filters?layer=${layer.toLowerCase()}&page=${Math.floor(filter.index / PAGE) + 1}#filter-${filter.id}`;
}
