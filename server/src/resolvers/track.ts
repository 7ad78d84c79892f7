import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { Album, Artist, Track } from "../schema/catalog.js";
import { TrackConnection, TrackFilter } from "../schema/track-connection.js";
import { afterId, toConnection } from "../schema/connection.js";
import type { Context } from "../context.js";
import { pageSize } from "./limits.js";

@Resolver(() => Track)
export class TrackResolver {
  @Query(() => TrackConnection, { description: "Tracks in catalogue order, Relay-style." })
  async tracks(
    @Ctx() { db }: Context,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("filter", () => TrackFilter, { nullable: true }) filter: TrackFilter | null,
  ): Promise<TrackConnection> {
    const take = pageSize(first);
    const where = trackWhere(filter);
    const start = afterId(after);
    const [rows, totalCount] = await Promise.all([
      db.track.findMany({ where: { ...where, ...(start ? { id: { gt: start } } : {}) }, orderBy: { id: "asc" }, take: take + 1 }),
      db.track.count({ where }),
    ]);
    return toConnection(rows, take, totalCount);
  }

  @Query(() => Track, { nullable: true })
  async track(@Ctx() { db }: Context, @Arg("id", () => Int) id: number): Promise<Track | null> {
    return db.track.findUnique({ where: { id } });
  }

  @FieldResolver(() => Artist)
  artist(@Root() track: Track, @Ctx() { loaders }: Context): Promise<Artist> {
    return loaders.artist.load(track.artistId);
  }

  @FieldResolver(() => Album, { nullable: true })
  album(@Root() track: Track, @Ctx() { loaders }: Context): Promise<Album> | null {
    return track.albumId === null ? null : loaders.album.load(track.albumId);
  }
}

function trackWhere(filter: TrackFilter | null) {
  if (!filter) return {};
  const text = filter.text?.trim();
  return {
    ...(filter.artistId ? { artistId: filter.artistId } : {}),
    ...(filter.albumId ? { albumId: filter.albumId } : {}),
    ...(text
      ? {
          OR: [
            { title: { contains: text } },
            { artist: { name: { contains: text } } },
            { album: { title: { contains: text } } },
          ],
        }
      : {}),
  };
}
