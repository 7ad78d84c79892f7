import { gql } from "@urql/core";
import type { PathSpace } from "@/features/map/queries";
import type { Space } from "@/features/track/queries";

export interface PlaylistSummary {
  id: number;
  name: string;
  source: string;
  itemCount: number;
}

export interface PlaylistItem {
  id: number;
  position: number;
  /** Album and position tell apart the titles that repeat ("level" on six albums); audioUrl plays the list. */
  track: { id: number; title: string; durationSec: number; position: number | null; audioUrl: string; artist: { name: string }; album: { title: string } | null };
}

export interface PlaylistDetail extends PlaylistSummary {
  items: PlaylistItem[];
}

/** Everything the editor shows: every mutation answers with it, so the answer replaces the local state. */
const DETAIL = "id name source itemCount items(first: 500) { id position track { id title durationSec position audioUrl artist { name } album { title } } }";

export const PlaylistsQuery = gql<{ playlists: { edges: { node: PlaylistSummary }[]; totalCount: number } }, Record<string, never>>`
  query Playlists { playlists(first: 200) { edges { node { id name source itemCount } } totalCount } }
`;

export const PlaylistQuery = gql<{ playlist: PlaylistDetail | null }, { id: number }>`
  query Playlist($id: Int!) { playlist(id: $id) { ${DETAIL} } }
`;

export const CreatePlaylist = gql<{ createPlaylist: PlaylistDetail }, { name: string }>`
  mutation CreatePlaylist($name: String!) { createPlaylist(name: $name) { ${DETAIL} } }
`;

export const RenamePlaylist = gql<{ renamePlaylist: PlaylistDetail }, { id: number; name: string }>`
  mutation RenamePlaylist($id: Int!, $name: String!) { renamePlaylist(id: $id, name: $name) { ${DETAIL} } }
`;

export const DeletePlaylist = gql<{ deletePlaylist: number }, { id: number }>`
  mutation DeletePlaylist($id: Int!) { deletePlaylist(id: $id) }
`;

export const RemoveItem = gql<{ removeFromPlaylist: PlaylistDetail }, { itemId: number }>`
  mutation RemoveItem($itemId: Int!) { removeFromPlaylist(itemId: $itemId) { ${DETAIL} } }
`;

export const MoveItem = gql<{ movePlaylistItem: PlaylistDetail }, { itemId: number; toPosition: number }>`
  mutation MoveItem($itemId: Int!, $toPosition: Int!) { movePlaylistItem(itemId: $itemId, toPosition: $toPosition) { ${DETAIL} } }
`;

export type ExportFormat = "M3U" | "XSPF" | "JSPF";

export const ExportPlaylist = gql<{ playlistExport: string; playlist: { exportFileName: string } | null }, { id: number; format: ExportFormat; baseUrl: string }>`
  query ExportPlaylist($id: Int!, $format: PlaylistFormat!, $baseUrl: String) {
    playlistExport(id: $id, format: $format, baseUrl: $baseUrl)
    playlist(id: $id) { exportFileName(format: $format) }
  }
`;

/** Which entries of a playlist hold a track: adding it again is asked about, never done silently. */
export const PlaylistTrackIds = gql<{ playlist: { id: number; name: string; items: { track: { id: number } }[] } | null }, { id: number }>`
  query PlaylistTrackIds($id: Int!) { playlist(id: $id) { id name items(first: 500) { track { id } } } }
`;

/** The entries with one moved to a 1-based position, renumbered: what the API will answer, shown at once. */
export function moveLocally(items: readonly PlaylistItem[], itemId: number, toPosition: number): PlaylistItem[] {
  const rest = items.filter((item) => item.id !== itemId);
  const moved = items.find((item) => item.id === itemId);
  if (!moved) return [...items];
  rest.splice(toPosition - 1, 0, moved);
  return rest.map((item, i) => ({ ...item, position: i + 1 }));
}

export const AddTracks = gql<{ addToPlaylist: { id: number; name: string; itemCount: number } }, { playlistId: number; trackIds: number[] }>`
  mutation AddTracks($playlistId: Int!, $trackIds: [Int!]!) { addToPlaylist(playlistId: $playlistId, trackIds: $trackIds) { id name itemCount } }
`;

export const CreateEmptyPlaylist = gql<{ createPlaylist: { id: number } }, { name: string }>`
  mutation CreateEmptyPlaylist($name: String!) { createPlaylist(name: $name) { id } }
`;

export const GenerateFromSeed = gql<{ generatePlaylist: PlaylistSummary }, { seedTrackId: number; count: number; space: Space; rules: PlaylistRules | null }>`
  mutation GenerateFromSeed($seedTrackId: Int!, $count: Int!, $space: Space!, $rules: PlaylistRulesInput) {
    generatePlaylist(input: { seedTrackId: $seedTrackId, count: $count, space: $space, rules: $rules }) { id name source itemCount }
  }
`;

/** Exactly these tracks in this order: a map selection or a sonic path. */
/** The API plans the path again from its ends and names the playlist after them ("Path: A → B"). */
export const GenerateFromPath = gql<
  { generatePlaylist: PlaylistSummary },
  { path: { from: number; to: number; length: number; space: PathSpace }; rules: PlaylistRules | null }
>`
  mutation GenerateFromPath($path: PathPlaylistInput!, $rules: PlaylistRulesInput) {
    generatePlaylist(input: { path: $path, rules: $rules }) { id name source itemCount }
  }
`;

export const GenerateFromTracks = gql<{ generatePlaylist: PlaylistSummary }, { name: string; trackIds: number[] }>`
  mutation GenerateFromTracks($name: String!, $trackIds: [Int!]!) {
    generatePlaylist(input: { name: $name, trackIds: $trackIds }) { id name source itemCount }
  }
`;

/** What a generated playlist leaves out and how it orders the rest (server/src/playlists/rules.ts). */
export interface PlaylistRules {
  skipFlagged: boolean;
  minDurationSec: number;
  spreadArtists: boolean;
}

/** The defaults the API applies when a generatePlaylist input gives no rules: the forms start from these. */
export const PlaylistRulesQuery = gql<{ playlistRules: PlaylistRules }, Record<string, never>>`
  query PlaylistRules { playlistRules { skipFlagged minDurationSec spreadArtists } }
`;
