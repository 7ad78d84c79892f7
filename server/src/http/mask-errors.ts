import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";

/**
 * Apollo's formatError in production: errors without a code of ours (a database failure, a bug) reach the client
 * as "internal error", since their messages can carry SQL or file paths; the server log keeps the original.
 */
export function maskInternalErrors(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (formatted.extensions?.code !== "INTERNAL_SERVER_ERROR") return formatted;
  const original = unwrapResolverError(error);
  console.error(`api: internal error: ${original instanceof Error ? original.stack : String(original)}`);
  return { message: "internal error", ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: "INTERNAL_SERVER_ERROR" } };
}
