import { Arg, Authorized, Ctx, Int, Mutation, Resolver } from "type-graphql";
import { GeneratePlaylistInput, Playlist } from "../schema/playlist.js";
import type { Context } from "../context.js";
import { badUserInput } from "../errors.js";
import { generatePlaylistTracks } from "../playlists/generate.js";
import { addTracks, createPlaylist, deletePlaylist, moveItem, removeItem, renamePlaylist } from "../playlists/store.js";
import { MAX_PAGE_SIZE } from "./limits.js";

const MAX_NAME = 200;

/** Every edit returns the playlist, so a client re-reads items and positions in the same round trip. */
@Resolver(() => Playlist)
export class PlaylistEditResolver {
  @Authorized("EDITOR")
  @Mutation(() => Playlist)
  createPlaylist(@Ctx() { db }: Context, @Arg("name") name: string): Promise<Playlist> {
    return createPlaylist(db, playlistName(name), "manual");
  }

  @Authorized("EDITOR")
  @Mutation(() => Playlist)
  renamePlaylist(@Ctx() { db }: Context, @Arg("id", () => Int) id: number, @Arg("name") name: string): Promise<Playlist> {
    return renamePlaylist(db, id, playlistName(name));
  }

  @Authorized("EDITOR")
  @Mutation(() => Int, { description: "The id of the deleted playlist." })
  async deletePlaylist(@Ctx() { db }: Context, @Arg("id", () => Int) id: number): Promise<number> {
    await deletePlaylist(db, id);
    return id;
  }

  @Authorized("EDITOR")
  @Mutation(() => Playlist, { description: "Inserts the tracks, in order, before `position` (default: at the end)." })
  addToPlaylist(
    @Ctx() { db }: Context,
    @Arg("playlistId", () => Int) playlistId: number,
    @Arg("trackIds", () => [Int]) trackIds: number[],
    @Arg("position", () => Int, { nullable: true }) position: number | null | undefined,
  ): Promise<Playlist> {
    if (trackIds.length < 1 || trackIds.length > MAX_PAGE_SIZE) throw badUserInput(`trackIds must hold 1 to ${MAX_PAGE_SIZE} ids, got ${trackIds.length}`);
    return addTracks(db, playlistId, trackIds, position);
  }

  @Authorized("EDITOR")
  @Mutation(() => Playlist, { description: "Removes one entry; later entries move up." })
  removeFromPlaylist(@Ctx() { db }: Context, @Arg("itemId", () => Int) itemId: number): Promise<Playlist> {
    return removeItem(db, itemId);
  }

  @Authorized("EDITOR")
  @Mutation(() => Playlist, { description: "Moves one entry to toPosition (1…itemCount); the entries between shift by one." })
  movePlaylistItem(@Ctx() { db }: Context, @Arg("itemId", () => Int) itemId: number, @Arg("toPosition", () => Int) toPosition: number): Promise<Playlist> {
    return moveItem(db, itemId, toPosition);
  }

  @Authorized("EDITOR")
  @Mutation(() => Playlist, { description: "A new playlist from a filter's top tracks, a seed track's neighbours, or a selection." })
  async generatePlaylist(@Ctx() { db, indexes }: Context, @Arg("input", () => GeneratePlaylistInput) input: GeneratePlaylistInput): Promise<Playlist> {
    const { name, source, trackIds } = await generatePlaylistTracks(db, indexes, input);
    return createPlaylist(db, playlistName(name), source, trackIds);
  }
}

function playlistName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > MAX_NAME) throw badUserInput(`a playlist name has 1 to ${MAX_NAME} characters, got ${trimmed.length}`);
  return trimmed;
}
