import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { issueApiKey, revokeApiKey } from "@curator/db/api-keys.js";
import { ApiKeyInfo, IssuedApiKey } from "../schema/api-key.js";
import { Role } from "../schema/viewer.js";
import type { Context } from "../context.js";
import { badUserInput, notFound } from "../errors.js";

const MAX_NAME = 100;

/** API keys for ADMINs in the workbench, as `curator keys create|list|revoke` on the command line. */
@Resolver()
export class ApiKeyResolver {
  @Authorized("ADMIN")
  @Query(() => [ApiKeyInfo], { description: "Every key, active and revoked, newest first." })
  apiKeys(@Ctx() { db }: Context): Promise<ApiKeyInfo[]> {
    return db.apiKey.findMany({ orderBy: { id: "desc" }, select: { id: true, name: true, role: true, createdAt: true, lastUsedAt: true, revokedAt: true } });
  }

  @Authorized("ADMIN")
  @Mutation(() => IssuedApiKey, { description: "Issues a key; the answer is the only time the key itself is shown." })
  async createApiKey(@Ctx() { db }: Context, @Arg("name") name: string, @Arg("role", () => Role) role: Role): Promise<IssuedApiKey> {
    const trimmed = name.trim();
    if (!trimmed) throw badUserInput("name is empty: say who or what will use the key");
    if (trimmed.length > MAX_NAME) throw badUserInput(`name has at most ${MAX_NAME} characters, got ${trimmed.length}`);
    const issued = await issueApiKey(db, trimmed, role);
    const info = await db.apiKey.findUniqueOrThrow({ where: { id: issued.id } });
    return { info, key: issued.key };
  }

  @Authorized("ADMIN")
  @Mutation(() => ApiKeyInfo, { description: "Revokes a key (kept, marked revoked, for the record). An ADMIN cannot revoke the key the request came with." })
  async revokeApiKey(@Ctx() { db, viewer }: Context, @Arg("id", () => Int) id: number): Promise<ApiKeyInfo> {
    if (viewer!.id === id) throw badUserInput("this is the key you are signed in with: sign in with another ADMIN key to revoke it");
    if (!(await revokeApiKey(db, id))) throw notFound(`API key ${id} not found`);
    return db.apiKey.findUniqueOrThrow({ where: { id } });
  }
}
