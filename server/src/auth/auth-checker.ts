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
  const viewer = context.viewer;
  if (!viewer) throw unauthenticated("this operation needs an API key: send Authorization: Bearer <key>");
  const needed = roles.length ? Math.min(...roles.map((r) => RANK[r])) : 0;
  if (RANK[viewer.role] < needed) {
    throw forbidden(`this operation needs role ${roles.join(" or ")}; key "${viewer.name}" has role ${viewer.role}`);
  }
  return true;
};
