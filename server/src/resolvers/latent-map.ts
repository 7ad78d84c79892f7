import { Arg, Ctx, Query, Resolver } from "type-graphql";
import { FactorKind } from "@curator/db/client.js";
import { LatentMap } from "../schema/similarity.js";
import type { Context } from "../context.js";
import { currentLayout, layoutPoints } from "../services/latent-map.js";

@Resolver()
export class LatentMapResolver {
  @Query(() => LatentMap, { nullable: true, description: "The newest complete map of a factor kind, every point at once (for the scatter plot); null before `curator map`." })
  async latentMap(@Ctx() { db, indexes }: Context, @Arg("kind", () => FactorKind, { defaultValue: FactorKind.CF }) kind: FactorKind): Promise<LatentMap | null> {
    const layout = await currentLayout(db, kind);
    if (!layout) return null;
    return { layoutId: layout.id, factorSetId: layout.factorSetId, method: layout.method, params: layout.params, createdAt: layout.createdAt, points: await layoutPoints(db, indexes, layout.id) };
  }
}
