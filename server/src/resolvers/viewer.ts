import { Ctx, Query, Resolver } from "type-graphql";
import { Viewer } from "../schema/viewer.js";
import type { Context } from "../context.js";

@Resolver(() => Viewer)
export class ViewerResolver {
  // Clients learn what to offer from this rather than by trying a mutation and reading the refusal.
  @Query(() => Viewer, { nullable: true, description: "Who the request's API key belongs to; null for an anonymous request." })
  viewer(@Ctx() { viewer }: Context): Viewer | null {
    return viewer ? { name: viewer.name, role: viewer.role } : null;
  }
}
