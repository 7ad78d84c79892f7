import { GraphQLError } from "graphql";

/** The largest page a list field serves: bigger requests are refused, not silently truncated. */
export const MAX_PAGE_SIZE = 500;

export function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new GraphQLError(`first must be between 1 and ${MAX_PAGE_SIZE}, got ${first}`, { extensions: { code: "BAD_USER_INPUT" } });
  }
  return first;
}
