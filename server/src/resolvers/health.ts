import { Ctx, Query, Resolver } from "type-graphql";
import { backendOf } from "@curator/db/client.js";
import { Health } from "../schema/health.js";
import type { Context } from "../context.js";

@Resolver(() => Health)
export class HealthResolver {
  @Query(() => Health, { description: "Liveness plus a real database read." })
  async health(@Ctx() { db }: Context): Promise<Health> {
    return { ok: true, database: backendOf(db), tracks: await db.track.count() };
  }
}
