import { gql } from "@urql/core";

export interface TrackOption {
  id: number;
  title: string;
  artist: { name: string };
}

/** Suggestions shown at once: enough to find a track by a few letters, few enough to read without scrolling. */
export const SUGGESTIONS = 8;

export const TrackSearch = gql<{ tracks: { edges: { node: TrackOption }[] } }, { text: string; first: number }>`
  query TrackSearch($text: String!, $first: Int!) { tracks(filter: { text: $text }, first: $first) { edges { node { id title artist { name } } } } }
`;

export const TrackById = gql<{ track: TrackOption | null }, { id: number }>`
  query TrackOptionById($id: Int!) { track(id: $id) { id title artist { name } } }
`;

export const optionLabel = (track: TrackOption): string => `${track.title} — ${track.artist.name}`;
