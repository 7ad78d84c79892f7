import { findKeyHolder, type KeyHolder } from "@curator/db/api-keys.js";
import type { Db } from "@curator/db/client.js";

/** Who sent a request: the holder of its API key, or null for an anonymous request. */
export type Viewer = KeyHolder;

/** The request cannot go further: answered 401 before any GraphQL work. */
export class AuthenticationFailure extends Error {}

/**
 * Resolves the `Authorization: Bearer <key>` header. A wrong or revoked key always fails, so a client never
 * silently runs with less access than it thinks; no header means anonymous, which only `requireKeys` forbids.
 */
export async function authenticate(db: Db, authorization: string | undefined, requireKeys: boolean): Promise<Viewer | null> {
  if (!authorization) {
    if (requireKeys) throw new AuthenticationFailure("an API key is required: send Authorization: Bearer <key> (create one with `curator keys create`)");
    return null;
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new AuthenticationFailure("the Authorization header must be `Bearer <key>`");
  const holder = await findKeyHolder(db, match[1]!);
  if (!holder) throw new AuthenticationFailure("the API key is unknown or revoked");
  return holder;
}
