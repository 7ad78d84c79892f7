import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { Track } from "../schema/catalog.js";
import { Playlist, PlaylistConnection, PlaylistFormat, PlaylistItem, PlaylistLocations, PlaylistRulesView } from "../schema/playlist.js";
import { DEFAULT_PLAYLIST_RULES } from "../playlists/rules.js";
import { afterId, toConnection } from "../schema/connection.js";
import type { Context } from "../context.js";
import { badUserInput, notFound } from "../errors.js";
import { audioLocation, type ExportEntry } from "../playlists/export-entry.js";
import { playbackOf } from "../media/playable.js";
import { toM3u } from "../playlists/m3u.js";
import { toXspf } from "../playlists/xspf.js";
import { toJspf } from "../playlists/jspf.js";
import { playlistFileName } from "../playlists/file-name.js";
import { pageSize } from "./limits.js";
import { requireRole } from "../auth/auth-checker.js";

@Resolver(() => Playlist)
export class PlaylistResolver {
  @Query(() => PlaylistConnection, { description: "Playlists in creation order, Relay-style." })
  async playlists(
    @Ctx() { db }: Context,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null | undefined,
  ): Promise<PlaylistConnection> {
    const take = pageSize(first);
    const start = afterId(after);
    const [rows, totalCount] = await Promise.all([
      db.playlist.findMany({ where: start ? { id: { gt: start } } : {}, orderBy: { id: "asc" }, take: take + 1 }),
      db.playlist.count(),
    ]);
    return toConnection(rows, take, totalCount);
  }

  @Query(() => PlaylistRulesView, { description: "The rules generatePlaylist applies when its input gives none: the generator forms start from these." })
  playlistRules(): PlaylistRulesView {
    return { ...DEFAULT_PLAYLIST_RULES };
  }

  @Query(() => Playlist, { nullable: true })
  playlist(@Ctx() { db }: Context, @Arg("id", () => Int) id: number): Promise<Playlist | null> {
    return db.playlist.findUnique({ where: { id } });
  }

  @Query(() => String, { description: "The whole playlist as a file's text: M3U (.m3u8), XSPF or JSPF; entries are /media/audio/<trackId>.<ext> URLs (an MP3 rendition where no browser decodes the file), or the files' paths." })
  async playlistExport(
    @Ctx() { db, mediaUrl, viewer }: Context,
    @Arg("id", () => Int) id: number,
    @Arg("format", () => PlaylistFormat) format: PlaylistFormat,
    @Arg("baseUrl", () => String, { nullable: true, description: "Prefix of the audio URLs (http://host:port); default root-relative." })
    baseUrl: string | null | undefined,
    @Arg("locations", () => PlaylistLocations, { defaultValue: PlaylistLocations.URL, description: "PATH needs an EDITOR or ADMIN key: file paths tell where the server keeps its music (and whose home folder)." })
    locations: PlaylistLocations,
  ): Promise<string> {
    if (locations === PlaylistLocations.PATH) requireRole(viewer, ["EDITOR"], "locations: PATH");
    if (baseUrl != null && !/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(baseUrl)) throw badUserInput(`baseUrl must be an http(s) URL without query, got "${baseUrl}"`);
    const playlist = await db.playlist.findUnique({
      where: { id },
      include: { items: { orderBy: { position: "asc" }, include: { track: { include: { artist: true, album: true } } } } },
    });
    if (!playlist) throw notFound(`playlist ${id} not found`);
    const kind = locations === PlaylistLocations.PATH ? "path" : "url";
    // Entries whose file a library rescan found gone stay in the playlist (missingCount) but not in its export.
    const present = playlist.items.filter(({ track }) => track.missingSince === null);
    const omitted = playlist.items.length - present.length;
    const entries: ExportEntry[] = present.map(({ track }) => ({
      location: kind === "path" ? track.audioPath : audioLocation(track, baseUrl ?? null, mediaUrl),
      title: track.title,
      artist: track.artist.name,
      album: track.album?.title ?? null,
      durationSec: track.durationSec,
      trackNumber: track.trackNumber,
      recordingMbid: track.recordingMbid,
      // A URL serves the rendition where there is one; a path is the catalogue's file as it is.
      heard: kind === "path" ? playbackOf(track.audioPath, track.codec).source : playbackOf(track.audioPath, track.codec).heard,
    }));
    if (format === PlaylistFormat.M3U) return toM3u(playlist.name, entries, omitted);
    return format === PlaylistFormat.XSPF ? toXspf(playlist.name, entries, kind, omitted) : toJspf(playlist.name, entries, kind, new Date(), omitted);
  }

  @FieldResolver(() => String, { description: "The name to save the playlist's export under: the playlist name, changed only where file systems forbid a character." })
  exportFileName(@Root() playlist: Playlist, @Arg("format", () => PlaylistFormat) format: PlaylistFormat): string {
    return playlistFileName(playlist.name, format);
  }

  @FieldResolver(() => [PlaylistItem], { description: "Entries at positions afterPosition + 1 … afterPosition + first." })
  items(
    @Root() playlist: Playlist,
    @Ctx() { loaders }: Context,
    @Arg("first", () => Int, { defaultValue: 100 }) first: number,
    @Arg("afterPosition", () => Int, { defaultValue: 0 }) afterPosition: number,
  ): Promise<PlaylistItem[]> {
    if (!Number.isInteger(afterPosition) || afterPosition < 0) throw badUserInput(`afterPosition must be 0 or more, got ${afterPosition}`);
    return loaders.playlistItems.load({ parentId: playlist.id, from: afterPosition, count: pageSize(first) });
  }

  @FieldResolver(() => Int)
  itemCount(@Root() playlist: Playlist, @Ctx() { loaders }: Context): Promise<number> {
    return loaders.playlistLength.load(playlist.id);
  }

  @FieldResolver(() => Int, { description: "Entries whose file a library rescan found gone: kept in the playlist, left out of its exports (which say how many)." })
  missingCount(@Root() playlist: Playlist, @Ctx() { db }: Context): Promise<number> {
    return db.playlistItem.count({ where: { playlistId: playlist.id, track: { missingSince: { not: null } } } });
  }
}

@Resolver(() => PlaylistItem)
export class PlaylistItemResolver {
  @FieldResolver(() => Track)
  track(@Root() item: PlaylistItem, @Ctx() { loaders }: Context): Promise<Track> {
    return loaders.track.load(item.trackId);
  }

  @FieldResolver(() => Boolean, { description: "The track's file is missing from the library (a rescan found it gone): not playable, left out of exports." })
  async missing(@Root() item: PlaylistItem, @Ctx() { loaders }: Context): Promise<boolean> {
    return (await loaders.track.load(item.trackId)).missingSince != null;
  }
}
