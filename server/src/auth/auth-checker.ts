import type { AuthChecker } from "type-graphql";
import type { Role } from "@curator/db/client.js";
import type { Context } from "../context.js";
import { forbidden, unauthenticated } from "./errors.js";

/** Each role includes the ones below it: an ADMIN may do whatever an EDITOR may. */
const RANK: Record<Role, number> = { ANALYST: 0, EDITOR: 1, ADMIN: 2 };

/**
 * type-graphql's check for `@Authorized(role)`: the viewer's role must reach the lowest role listed. It throws
 * rather than returning false so the error says which role was needed (type-graphql's own errors do not).
 */
export const authChecker: AuthChecker<Context, Role> = ({ context }, roles) => {
  requireRole(context.viewer, roles, "this operation");
  return true;
};

/** The same check inside a resolver, for one argument value that needs more than the field does (`what` names it). */
export function requireRole(viewer: Context["viewer"], roles: readonly Role[], what: string): void {
  if (!viewer) throw unauthenticated(`${what} needs an API key: send Authorization: Bearer <key>`);
  const needed = roles.length ? Math.min(...roles.map((r) => RANK[r])) : 0;
  if (RANK[viewer.role] < needed) {
    throw forbidden(`${what} needs role ${roles.join(" or ")}; key "${viewer.name}" has role ${viewer.role}`);
  }
}
