import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from "type-graphql";
import type { GraphQLResolveInfo } from "graphql";
import type { TrackWhereInput } from "@curator/db/client.js";
import { Album, Artist, Track, asTrack, type TrackRow } from "../schema/catalog.js";
import { TrackConnection, TrackFilter, TrackOrder } from "../schema/track-connection.js";
import type { Context } from "../context.js";
import { badUserInput } from "../errors.js";
import { pageSize } from "./limits.js";
import { DEFAULT_ORDER, keyset, toKeysetConnection } from "./track-keyset.js";
import { ACTIVE_FLAG_STATUSES, trackStatus } from "./track-status.js";
import { selectedFields } from "./selection.js";
import { FLAG_ORDER } from "../loaders/curation.js";
import { textWhere } from "./track-text.js";

@Resolver(() => Track)
export class TrackResolver {
  @Query(() => TrackConnection, { description: "Tracks in the requested order (id ascending by default), Relay-style." })
  async tracks(
    @Ctx() { db }: Context,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("filter", () => TrackFilter, { nullable: true }) filter: TrackFilter | null,
    @Arg("orderBy", () => TrackOrder, { nullable: true }) orderBy: TrackOrder | null,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TrackConnection> {
    const take = pageSize(first);
    const order = orderBy ?? DEFAULT_ORDER;
    const where = await trackWhere(db, filter);
    const page = keyset(order, after);
    // Relations the nodes select are read with the page, one query each as their loaders would make, so their
    // fields answer from the row instead of a loader promise per track; the ARTIST order needs artists for cursors.
    const nested = selectedFields(info, ["edges", "node"]);
    const [rows, totalCount] = await Promise.all([
      db.track.findMany({
        where: page.after ? { AND: [where, page.after] } : where,
        orderBy: page.orderBy,
        take: take + 1,
        include: { artist: page.needsArtist || nested.has("artist"), album: nested.has("album"), flags: nested.has("outlierFlags") && { orderBy: FLAG_ORDER } },
      }),
      db.track.count({ where }),
    ]);
    return toKeysetConnection(order, rows.map(asTrack), take, totalCount);
  }

  @Query(() => Track, { nullable: true })
  async track(@Ctx() { db }: Context, @Arg("id", () => Int) id: number): Promise<Track | null> {
    const row = await db.track.findUnique({ where: { id } });
    return row && asTrack(row);
  }

  @FieldResolver(() => Artist)
  artist(@Root() track: TrackRow, @Ctx() { loaders }: Context): Artist | Promise<Artist> {
    return track.artist ?? loaders.artist.load(track.artistId);
  }

  @FieldResolver(() => Album, { nullable: true })
  album(@Root() track: TrackRow, @Ctx() { loaders }: Context): Album | Promise<Album> | null {
    if (track.album !== undefined) return track.album;
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

async function trackWhere(db: Context["db"], filter: TrackFilter | null): Promise<TrackWhereInput> {
  // A library track whose file a rescan no longer found is kept (with its listens) but not listed.
  if (!filter) return { missingSince: null };
  const text = filter.text?.trim();
  if (text && /[\u0000-\u001f\u007f]/.test(text)) throw badUserInput("filter.text has a control character: search for printable text");
  const { minDurationSec: min, maxDurationSec: max } = filter;
  if (min != null && max != null && min > max) throw badUserInput(`minDurationSec (${min}) is above maxDurationSec (${max})`);
  const activeFlag = { status: { in: [...ACTIVE_FLAG_STATUSES] } };
  return {
    missingSince: null,
    ...(filter.artistId ? { artistId: filter.artistId } : {}),
    ...(filter.albumId ? { albumId: filter.albumId } : {}),
    ...(min != null || max != null ? { durationSec: { ...(min != null ? { gte: min } : {}), ...(max != null ? { lte: max } : {}) } } : {}),
    ...(filter.cold == null ? {} : { listens: filter.cold ? { none: { heldOut: false } } : { some: { heldOut: false } } }),
    ...(filter.flagged == null ? {} : { flags: filter.flagged ? { some: activeFlag } : { none: activeFlag } }),
    ...(text ? await textWhere(db, text) : {}),
  };
}
