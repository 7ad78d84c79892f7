import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import { Evaluation } from "../schema/evaluation.js";
import type { Context } from "../context.js";
import { pageSize } from "./limits.js";

@Resolver(() => Evaluation)
export class EvaluationResolver {
  @Query(() => [Evaluation], { description: "Stored evaluation runs, most recent first; only those of `name` when given." })
  evaluations(
    @Ctx() { db }: Context,
    @Arg("name", () => String, { nullable: true }) name: string | null | undefined,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
  ): Promise<Evaluation[]> {
    return db.evaluation.findMany({ where: name ? { name } : {}, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: pageSize(first) });
  }
}
