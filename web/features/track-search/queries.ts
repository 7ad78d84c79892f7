import { graphql, type ResultOf } from "@/lib/gql";

/** Suggestions shown at once: enough to find a track by a few letters, few enough to read without scrolling. */
export const SUGGESTIONS = 8;

const TrackOptionFields = graphql(`
  fragment TrackOptionFields on Track { id title artist { name } }
`);
export type TrackOption = ResultOf<typeof TrackOptionFields>;

export const TrackSearch = graphql(
  `
  query TrackSearch($text: String!, $first: Int!) { tracks(filter: { text: $text }, first: $first) { edges { node { ...TrackOptionFields } } } }
`,
  [TrackOptionFields],
);

export const TrackById = graphql(
  `
  query TrackOptionById($id: Int!) { track(id: $id) { ...TrackOptionFields } }
`,
  [TrackOptionFields],
);

export const optionLabel = (track: TrackOption): string => `${track.title} — ${track.artist.name}`;
