import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";
import type { Logger } from "@curator/worker/log.js";

/**
 * Apollo's formatError in production: errors without a code of ours (a database failure, a bug) reach the client
 * as "internal error", since their messages can carry SQL or file paths; the server log keeps the original.
 */
export function maskInternalErrors(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (formatted.extensions?.code !== "INTERNAL_SERVER_ERROR") return formatted;
    log.error({ err: unwrapResolverError(error), path: formatted.path }, "internal error");
    return { message: "internal error", ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: "INTERNAL_SERVER_ERROR" } };
  };
}
