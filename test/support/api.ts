import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { Db } from "@curator/db/client.js";
import { createApp } from "@curator/server/http/app.js";
import type { IndexRegistry } from "@curator/server/index/registry.js";

export interface RunningApi {
  url: string;
  /** POSTs a GraphQL document, with `Authorization: Bearer <key>` when a key is given; returns the parsed body and the HTTP status. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, key?: string): Promise<{ status: number; body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } }>;
  close(): Promise<void>;
}

export interface ApiOptions {
  /** Refuse anonymous requests (CURATOR_REQUIRE_KEYS=1); default off, so reads need no key. */
  requireKeys?: boolean;
  /** The similarity indexes (default: the app's own registry over data/indexes). */
  indexes?: IndexRegistry;
}

/**
 * Listens on an ephemeral loopback port. The server keeps idle connections open (keepAliveTimeout 0): a test that
 * blocks the event loop for seconds (UMAP, training in-process) would otherwise let the server's 5 s idle timer and
 * fetch's reuse of the same socket fire together ("other side closed"). close() still ends idle connections.
 */
export async function listenOnLoopback(server: Server): Promise<string> {
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

/** The real API server on an ephemeral loopback port, queried over HTTP like any client. */
export async function startApi(db: Db, options: ApiOptions = {}): Promise<RunningApi> {
  const server: Server = await createApp({
    db,
    production: true,
    // the query-limit tests walk __schema, which production mode would refuse
    introspection: true,
    requireKeys: options.requireKeys ?? false,
    ...(options.indexes ? { indexes: options.indexes } : {}),
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    async query(query, variables, key) {
      const headers: Record<string, string> = { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) };
      const res = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
      return { status: res.status, body: (await res.json()) as never };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
