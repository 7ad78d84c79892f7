import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { Recommendation, User } from "../schema/similarity.js";
import type { Context } from "../context.js";
import { recommendForUser } from "../services/recommendations.js";
import { notFound } from "../errors.js";
import { checkCount } from "./ranges.js";
import { withTracks } from "./track-rows.js";

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
  ): Promise<Recommendation[]> {
    checkCount(k, "k");
    return withTracks(db, await recommendForUser(db, indexes, user.id, { k, includeCold, onlyCold, excludeFlagged }));
  }
}
