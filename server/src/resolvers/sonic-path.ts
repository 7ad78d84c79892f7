import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import { PathSpace, PathStep, PredictedMode } from "../schema/similarity.js";
import type { Context } from "../context.js";
import { sonicPath } from "../services/sonic-path.js";
import { checkCount } from "./ranges.js";
import { withTracks } from "./track-rows.js";

@Resolver()
export class SonicPathResolver {
  @Query(() => [PathStep], {
    description: "`length` tracks from `from` to `to`: each step is the nearest unused track to an evenly spaced point on the arc between them.",
  })
  async sonicPath(
    @Ctx() { db, indexes }: Context,
    @Arg("from", () => Int) from: number,
    @Arg("to", () => Int) to: number,
    @Arg("length", () => Int, { defaultValue: 10 }) length: number,
    @Arg("space", () => PathSpace, { defaultValue: PathSpace.CF }) space: PathSpace,
    @Arg("audioMode", () => PredictedMode, { defaultValue: PredictedMode.MIDDLE }) audioMode: PredictedMode,
  ): Promise<PathStep[]> {
    checkCount(length, "length", 2);
    return withTracks(db, (await sonicPath(db, indexes, from, to, length, space, audioMode)).steps);
  }
}
