import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { FlagStatus, OutlierKind } from "@curator/db/client.js";
import { Track, type TrackRow } from "../schema/catalog.js";
import { OutlierFlag, OutlierFlagConnection, Verdict } from "../schema/outlier.js";
import { afterId, toConnection } from "../schema/connection.js";
import type { Context } from "../context.js";
import { badUserInput, notFound } from "../errors.js";
import { pageSize } from "./limits.js";

const MAX_NOTE = 2000;

@Resolver(() => OutlierFlag)
export class OutlierFlagResolver {
  @Query(() => OutlierFlagConnection, { description: "Flags in the order the outlier stage raised them, optionally one status and kind." })
  async flags(
    @Ctx() { db }: Context,
    @Arg("status", () => FlagStatus, { nullable: true }) status: FlagStatus | null | undefined,
    @Arg("kind", () => OutlierKind, { nullable: true }) kind: OutlierKind | null | undefined,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null | undefined,
  ): Promise<OutlierFlagConnection> {
    const take = pageSize(first);
    const start = afterId(after);
    const where = { ...(status ? { status } : {}), ...(kind ? { kind } : {}) };
    const [rows, totalCount] = await Promise.all([
      db.outlierFlag.findMany({ where: { ...where, ...(start ? { id: { gt: start } } : {}) }, orderBy: { id: "asc" }, take: take + 1 }),
      db.outlierFlag.count({ where }),
    ]);
    return toConnection(rows, take, totalCount);
  }

  @Authorized("EDITOR")
  @Mutation(() => OutlierFlag, { description: "Records an editor's verdict; a later outlier run never overwrites it." })
  async reviewFlag(
    @Ctx() { db, viewer }: Context,
    @Arg("id", () => Int) id: number,
    @Arg("verdict", () => Verdict) verdict: Verdict,
    @Arg("note", () => String, { nullable: true }) note: string | null | undefined,
  ): Promise<OutlierFlag> {
    if (note != null && note.length > MAX_NOTE) throw badUserInput(`note has at most ${MAX_NOTE} characters, got ${note.length}`);
    const [row] = await db.outlierFlag.updateManyAndReturn({
      where: { id },
      // The authorization check guarantees a viewer here.
      data: { status: verdict, verdictNote: note ?? null, verdictBy: viewer!.name, verdictAt: new Date() },
    });
    if (!row) throw notFound(`flag ${id} not found`);
    return row;
  }

  @FieldResolver(() => Track)
  track(@Root() flag: OutlierFlag, @Ctx() { loaders }: Context): Promise<Track> {
    return loaders.track.load(flag.trackId);
  }
}

@Resolver(() => Track)
export class TrackFlagsResolver {
  @FieldResolver(() => [OutlierFlag], { description: "What the outlier stage suspects this track is, most suspicious first." })
  outlierFlags(@Root() track: TrackRow, @Ctx() { loaders }: Context): OutlierFlag[] | Promise<OutlierFlag[]> {
    return track.flags ?? loaders.outlierFlags.load(track.id);
  }
}
