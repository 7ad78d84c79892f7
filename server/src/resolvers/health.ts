import { Ctx, Query, Resolver } from "type-graphql";
import { resolveDatabase } from "@curator/db/client.js";
import { Health } from "../schema/health.js";
import type { Context } from "../context.js";

@Resolver(() => Health)
export class HealthResolver {
  @Query(() => Health, { description: "Liveness plus a real database read." })
  async health(@Ctx() { db }: Context): Promise<Health> {
    return { ok: true, database: resolveDatabase().backend, tracks: await db.track.count() };
  }
}
