import { Client, fetchExchange, type AnyVariables, type CombinedError, type TypedDocumentNode } from "@urql/core";
import { apiOrigin } from "./api-origin";

export type QueryResult<Data> = { ok: true; data: Data } | { ok: false; message: string };

/**
 * Server components call the API directly; the browser goes through the same-origin proxy. No cache exchange:
 * a shared cache on the server would serve one request's data to another, and the pages poll for fresh data.
 * POST rather than urql's default GET keeps Apollo's CSRF guard (which rejects plain GETs) out of the way.
 */
const client = new Client({
  url: typeof window === "undefined" ? `${apiOrigin()}/graphql` : "/graphql",
  exchanges: [fetchExchange],
  preferGetMethod: false,
  requestPolicy: "network-only",
});

export async function runQuery<Data, Variables extends AnyVariables>(
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
): Promise<QueryResult<Data>> {
  const result = await client.query(document, variables).toPromise();
  if (result.error) return { ok: false, message: describeError(result.error) };
  if (!result.data) return { ok: false, message: "The API answered without data." };
  return { ok: true, data: result.data };
}

function describeError(error: CombinedError): string {
  if (error.networkError) return `The API is unreachable (${error.networkError.message}).`;
  return error.graphQLErrors.map((e) => e.message).join("; ");
}
