import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { Recommendation, User } from "../schema/similarity.js";
import type { Context } from "../context.js";
import { recommendForUser } from "../services/recommendations.js";
import { notFound } from "../errors.js";
import { checkCount } from "./ranges.js";
import { withTracks } from "./track-rows.js";
import { pageSize } from "./limits.js";

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { description: "A listener; NOT_FOUND for an unknown id." })
  async user(@Ctx() { db }: Context, @Arg("id", () => Int) id: number): Promise<User> {
    const user = await db.user.findUnique({ where: { id }, select: { id: true, externalId: true } });
    if (!user) throw notFound(`user ${id} not found`);
    return user;
  }

  @FieldResolver(() => [Recommendation], {
    description:
      "Tracks ranked by predicted preference (user · item, raw CF factors), the user's training listens left out. " +
      "Cold tracks (no CF factors) are scored through their predicted factors. k ≤ 200.",
  })
  async recommendations(
    @Root() user: User,
    @Ctx() { db, indexes }: Context,
    @Arg("k", () => Int, { defaultValue: 10 }) k: number,
    @Arg("includeCold", { defaultValue: true }) includeCold: boolean,
    @Arg("onlyCold", { defaultValue: false, description: "Only cold tracks: new releases for this listener." }) onlyCold: boolean,
    @Arg("excludeFlagged", {
      defaultValue: false,
      description: "Leave out tracks the outlier stage flagged (OPEN) or an editor confirmed as intro, outro, interlude, cover or remix; the list is refilled to k.",
    })
    excludeFlagged: boolean,
    @Arg("maxCold", () => Int, {
      nullable: true,
      description: "The discovery dial: at most this many cold tracks in the list, the rest filled with warm ones (0: none). Null: cold tracks enter on their calibrated score alone.",
    })
    maxCold: number | null | undefined,
  ): Promise<Recommendation[]> {
    checkCount(k, "k");
    if (maxCold != null) checkCount(maxCold, "maxCold", 0);
    return withTracks(db, await recommendForUser(db, indexes, user.id, { k, includeCold, onlyCold, excludeFlagged, ...(maxCold != null ? { maxCold } : {}) }));
  }

  @Query(() => [User], {
    description:
      "Listeners for a picker: the one whose id or external id is exactly `search` first, then those whose external id contains it (case as stored), " +
      "the most active first. An empty list when none matches.",
  })
  async users(
    @Ctx() { db }: Context,
    @Arg("search", () => String, { nullable: true }) search: string | null | undefined,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
  ): Promise<User[]> {
    const take = pageSize(first);
    const text = search?.trim() ?? "";
    // An exact id or external id comes first, so typing an id and pressing Enter picks that listener.
    const id = /^\d{1,9}$/.test(text) ? Number(text) : undefined;
    const exact = text === "" ? [] : await db.user.findMany({ where: { OR: [{ externalId: text }, ...(id !== undefined ? [{ id }] : [])] }, select: { id: true, externalId: true }, orderBy: { id: "asc" } });
    const rest = await db.user.findMany({
      where: { ...(text === "" ? {} : { externalId: { contains: text } }), id: { notIn: exact.map((u) => u.id) } },
      select: { id: true, externalId: true },
      orderBy: [{ listens: { _count: "desc" } }, { id: "asc" }],
      take,
    });
    return [...exact, ...rest].slice(0, take);
  }

  @FieldResolver(() => Int, { description: "Tracks this listener played (training listens, held-out ones not counted)." })
  listens(@Root() user: User, @Ctx() { db }: Context): Promise<number> {
    return db.listen.count({ where: { userId: user.id, heldOut: false } });
  }
}
