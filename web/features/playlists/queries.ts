import { graphql, type Enum, type ResultOf } from "@/lib/gql";

const PlaylistSummaryFields = graphql(`
  fragment PlaylistSummaryFields on Playlist { id name source itemCount }
`);
export type PlaylistSummary = ResultOf<typeof PlaylistSummaryFields>;

/**
 * Everything the editor shows: every mutation answers with it, so the answer replaces the local state. Album and
 * position tell apart the titles that repeat ("level" on six albums); audioUrl plays the list, except the entries whose
 * file is missing (greyed, skipped by the player, left out of the exports).
 */
const PlaylistDetailFields = graphql(
  `
  fragment PlaylistDetailFields on Playlist {
    ...PlaylistSummaryFields
    items(first: 500) { id position missing track { id title durationSec position audioUrl artist { name } album { title } } }
  }
`,
  [PlaylistSummaryFields],
);
export type PlaylistDetail = ResultOf<typeof PlaylistDetailFields>;
export type PlaylistItem = PlaylistDetail["items"][number];

export const PlaylistsQuery = graphql(
  `
  query Playlists { playlists(first: 200) { edges { node { ...PlaylistSummaryFields } } totalCount } }
`,
  [PlaylistSummaryFields],
);

export const PlaylistQuery = graphql(
  `
  query Playlist($id: Int!) { playlist(id: $id) { ...PlaylistDetailFields } }
`,
  [PlaylistDetailFields],
);

export const CreatePlaylist = graphql(
  `
  mutation CreatePlaylist($name: String!) { createPlaylist(name: $name) { ...PlaylistDetailFields } }
`,
  [PlaylistDetailFields],
);

export const RenamePlaylist = graphql(
  `
  mutation RenamePlaylist($id: Int!, $name: String!) { renamePlaylist(id: $id, name: $name) { ...PlaylistDetailFields } }
`,
  [PlaylistDetailFields],
);

export const DeletePlaylist = graphql(`
  mutation DeletePlaylist($id: Int!) { deletePlaylist(id: $id) }
`);

export const RemoveItem = graphql(
  `
  mutation RemoveItem($itemId: Int!) { removeFromPlaylist(itemId: $itemId) { ...PlaylistDetailFields } }
`,
  [PlaylistDetailFields],
);

export const MoveItem = graphql(
  `
  mutation MoveItem($itemId: Int!, $toPosition: Int!) { movePlaylistItem(itemId: $itemId, toPosition: $toPosition) { ...PlaylistDetailFields } }
`,
  [PlaylistDetailFields],
);

export type ExportFormat = Enum<"PlaylistFormat">;

export const ExportPlaylist = graphql(`
  query ExportPlaylist($id: Int!, $format: PlaylistFormat!, $baseUrl: String) {
    playlistExport(id: $id, format: $format, baseUrl: $baseUrl)
    playlist(id: $id) { exportFileName(format: $format) }
  }
`);

/** Which entries of a playlist hold a track: adding it again is asked about, never done silently. */
export const PlaylistTrackIds = graphql(`
  query PlaylistTrackIds($id: Int!) { playlist(id: $id) { id name items(first: 500) { track { id } } } }
`);

/** The entries with one moved to a 1-based position, renumbered: what the API will answer, shown at once. */
export function moveLocally(items: readonly PlaylistItem[], itemId: number, toPosition: number): PlaylistItem[] {
  const rest = items.filter((item) => item.id !== itemId);
  const moved = items.find((item) => item.id === itemId);
  if (!moved) return [...items];
  rest.splice(toPosition - 1, 0, moved);
  return rest.map((item, i) => ({ ...item, position: i + 1 }));
}

export const AddTracks = graphql(`
  mutation AddTracks($playlistId: Int!, $trackIds: [Int!]!) { addToPlaylist(playlistId: $playlistId, trackIds: $trackIds) { id name itemCount } }
`);

export const CreateEmptyPlaylist = graphql(`
  mutation CreateEmptyPlaylist($name: String!) { createPlaylist(name: $name) { id } }
`);

export const GenerateFromSeed = graphql(
  `
  mutation GenerateFromSeed($seedTrackId: Int!, $count: Int!, $space: Space!, $rules: PlaylistRulesInput) {
    generatePlaylist(input: { seedTrackId: $seedTrackId, count: $count, space: $space, rules: $rules }) { ...PlaylistSummaryFields }
  }
`,
  [PlaylistSummaryFields],
);

/** The API plans the path again from its ends and names the playlist after them ("Path: A → B"). */
export const GenerateFromPath = graphql(
  `
  mutation GenerateFromPath($path: PathPlaylistInput!, $rules: PlaylistRulesInput) {
    generatePlaylist(input: { path: $path, rules: $rules }) { ...PlaylistSummaryFields }
  }
`,
  [PlaylistSummaryFields],
);

/** Exactly these tracks in this order: a map selection. */
export const GenerateFromTracks = graphql(
  `
  mutation GenerateFromTracks($name: String!, $trackIds: [Int!]!) {
    generatePlaylist(input: { name: $name, trackIds: $trackIds }) { ...PlaylistSummaryFields }
  }
`,
  [PlaylistSummaryFields],
);

/** The defaults the API applies when a generatePlaylist input gives no rules: the forms start from these. */
export const PlaylistRulesQuery = graphql(`
  query PlaylistRules { playlistRules { skipFlagged minDurationSec spreadArtists } }
`);

/** What a generated playlist leaves out and how it orders the rest (server/src/playlists/rules.ts). */
export type PlaylistRules = ResultOf<typeof PlaylistRulesQuery>["playlistRules"];
