import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import type { TrackWhereInput } from "@curator/db/client.js";
import { Album, Artist, Track, asTrack } from "../schema/catalog.js";
import { TrackConnection, TrackFilter, TrackOrder } from "../schema/track-connection.js";
import type { Context } from "../context.js";
import { badUserInput } from "../errors.js";
import { pageSize } from "./limits.js";
import { DEFAULT_ORDER, keyset, toKeysetConnection } from "./track-keyset.js";
import { ACTIVE_FLAG_STATUSES, trackStatus } from "./track-status.js";

@Resolver(() => Track)
export class TrackResolver {
  @Query(() => TrackConnection, { description: "Tracks in the requested order (id ascending by default), Relay-style." })
  async tracks(
    @Ctx() { db, loaders }: Context,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("filter", () => TrackFilter, { nullable: true }) filter: TrackFilter | null,
    @Arg("orderBy", () => TrackOrder, { nullable: true }) orderBy: TrackOrder | null,
  ): Promise<TrackConnection> {
    const take = pageSize(first);
    const order = orderBy ?? DEFAULT_ORDER;
    const where = trackWhere(filter);
    const page = keyset(order, after);
    const [rows, totalCount] = await Promise.all([
      db.track.findMany({
        where: page.after ? { AND: [where, page.after] } : where,
        orderBy: page.orderBy,
        take: take + 1,
        ...(page.needsArtist ? { include: { artist: true } } : {}),
      }),
      db.track.count({ where }),
    ]);
    // The ARTIST order fetched each row's artist for its cursor; the artist field need not fetch it again.
    for (const row of rows as (Track & { artist?: Artist })[]) if (row.artist) loaders.artist.prime(row.artistId, row.artist);
    return toKeysetConnection(order, rows.map(asTrack), take, totalCount);
  }

  @Query(() => Track, { nullable: true })
  async track(@Ctx() { db }: Context, @Arg("id", () => Int) id: number): Promise<Track | null> {
    const row = await db.track.findUnique({ where: { id } });
    return row && asTrack(row);
  }

  @FieldResolver(() => Artist)
  artist(@Root() track: Track, @Ctx() { loaders }: Context): Promise<Artist> {
    return loaders.artist.load(track.artistId);
  }

  @FieldResolver(() => Album, { nullable: true })
  album(@Root() track: Track, @Ctx() { loaders }: Context): Promise<Album> | null {
    return track.albumId === null ? null : loaders.album.load(track.albumId);
  }

  @FieldResolver(() => Boolean, { description: "No training listens: a cold-start track for the content model." })
  async isCold(@Root() track: Track, @Ctx() ctx: Context): Promise<boolean> {
    return (await trackStatus(ctx, track.id)).cold;
  }

  @FieldResolver(() => Boolean, { description: "Has an OPEN or CONFIRMED outlier flag." })
  async flagged(@Root() track: Track, @Ctx() ctx: Context): Promise<boolean> {
    return (await trackStatus(ctx, track.id)).flagged;
  }
}

function trackWhere(filter: TrackFilter | null): TrackWhereInput {
  if (!filter) return {};
  const text = filter.text?.trim();
  const { minDurationSec: min, maxDurationSec: max } = filter;
  if (min != null && max != null && min > max) throw badUserInput(`minDurationSec (${min}) is above maxDurationSec (${max})`);
  const activeFlag = { status: { in: [...ACTIVE_FLAG_STATUSES] } };
  return {
    ...(filter.artistId ? { artistId: filter.artistId } : {}),
    ...(filter.albumId ? { albumId: filter.albumId } : {}),
    ...(min != null || max != null ? { durationSec: { ...(min != null ? { gte: min } : {}), ...(max != null ? { lte: max } : {}) } } : {}),
    ...(filter.cold == null ? {} : { listens: filter.cold ? { none: { heldOut: false } } : { some: { heldOut: false } } }),
    ...(filter.flagged == null ? {} : { flags: filter.flagged ? { some: activeFlag } : { none: activeFlag } }),
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
