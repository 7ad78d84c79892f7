// GraphQL errors with the codes clients branch on. Apollo's own codes cover parsing and validation; these name
// the request's problem in the domain.
import { GraphQLError } from "graphql";

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "NOT_FOUND" } });
}

export function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });
}

/** The request is valid but the data it needs does not exist yet (no factor set, a track without factors). */
export function failedPrecondition(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "FAILED_PRECONDITION" } });
}

/** FAISS or an index file failed; the message carries FAISS's reason. The server goes on serving. */
export function indexError(err: unknown): GraphQLError {
  const message = err instanceof Error ? err.message : String(err);
  return new GraphQLError(`similarity index failed: ${message}`, { extensions: { code: "INDEX_ERROR" } });
}
