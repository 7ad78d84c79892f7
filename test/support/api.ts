import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { Db } from "@curator/db/client.js";
import { createApp } from "@curator/server/http/app.js";

export interface RunningApi {
  url: string;
  /** POSTs a GraphQL document; returns the parsed body and the HTTP status. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } }>;
  close(): Promise<void>;
}

/** The real API server on an ephemeral loopback port, queried over HTTP like any client. */
export async function startApi(db: Db): Promise<RunningApi> {
  const server: Server = await createApp({ db, production: true });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    url,
    async query(query, variables) {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
      return { status: res.status, body: (await res.json()) as never };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
