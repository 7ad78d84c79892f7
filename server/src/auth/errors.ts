import { GraphQLError } from "graphql";

/** No key, or a key the server does not know: the client must authenticate. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED" } });
}

/** A valid key whose role does not allow the operation. */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "FORBIDDEN" } });
}
