import { Client, fetchExchange, type AnyVariables, type CombinedError, type TypedDocumentNode } from "@urql/core";
import { apiOrigin } from "./api-origin";
import { readSession } from "./session";

export type QueryResult<Data> = { ok: true; data: Data } | { ok: false; message: string; code: string | null };

/**
 * Server components call the API directly; the browser goes through the same-origin proxy. No cache exchange:
 * a shared cache on the server would serve one request's data to another, and the pages poll for fresh data.
 * POST rather than urql's default GET keeps Apollo's CSRF guard (which rejects plain GETs) out of the way.
 * The browser sends the signed-in API key; server renders stay anonymous because the key lives in localStorage.
 */
const client = new Client({
  url: typeof window === "undefined" ? `${apiOrigin()}/graphql` : "/graphql",
  exchanges: [fetchExchange],
  preferGetMethod: false,
  requestPolicy: "network-only",
  fetchOptions: () => {
    const session = readSession();
    return session ? { headers: { authorization: `Bearer ${session.key}` } } : {};
  },
});

/** `apiKey` sends that key instead of the session's: signing in checks a key before storing it. */
export async function runQuery<Data, Variables extends AnyVariables>(
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  apiKey?: string,
): Promise<QueryResult<Data>> {
  return settle(await client.query(document, variables, withKey(apiKey)).toPromise());
}

export async function runMutation<Data, Variables extends AnyVariables>(
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
): Promise<QueryResult<Data>> {
  return settle(await client.mutation(document, variables).toPromise());
}

function withKey(apiKey: string | undefined) {
  return apiKey ? { fetchOptions: { headers: { authorization: `Bearer ${apiKey}` } } } : undefined;
}

function settle<Data>(result: { data?: Data; error?: CombinedError }): QueryResult<Data> {
  if (result.error) return { ok: false, message: describeError(result.error), code: errorCode(result.error) };
  if (!result.data) return { ok: false, message: "The API answered without data.", code: null };
  return { ok: true, data: result.data };
}

function errorCode(error: CombinedError): string | null {
  const code = error.graphQLErrors[0]?.extensions.code;
  return typeof code === "string" ? code : null;
}

function describeError(error: CombinedError): string {
  // A refused key is answered 401 before GraphQL runs; urql reports that as a network error with the body's text.
  if (error.networkError) {
    if (error.response?.status === 401) return "The API refused the API key: sign in again.";
    return `The API is unreachable (${error.networkError.message}).`;
  }
  return error.graphQLErrors.map((e) => e.message).join("; ");
}
