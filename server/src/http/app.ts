import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { ApolloServer, HeaderMap } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { setting } from "@curator/db/settings.js";
import { createLogger, type Logger } from "@curator/worker/log.js";
import type { Db } from "@curator/db/client.js";
import { buildCuratorSchema } from "../build-schema.js";
import { createLoaders, type Context } from "../context.js";
import { readBody, BodyTooLargeError } from "./body.js";
import { serveMedia } from "./media.js";
import { MediaSigner } from "./media-token.js";
import { IndexRegistry } from "../index/registry.js";
import { authenticate, AuthenticationFailure } from "../auth/authenticate.js";
import { QUERY_PARSE_OPTIONS, queryLimitsPlugin } from "../limits/plugin.js";
import { maskInternalErrors } from "./mask-errors.js";
import { readiness } from "./health.js";
import { sendLandingPage, wantsLandingPage } from "./landing.js";
import { Observer } from "./observe.js";
import { compiledExecution } from "./compiled-execution.js";

/** Request bodies above this are refused before parsing: a query document never needs more. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface AppOptions {
  db: Db;
  /** Default NODE_ENV=production: introspection and field suggestions off, unexpected errors masked. */
  production?: boolean;
  /** GraphQL introspection; default: on unless production. */
  introspection?: boolean;
  /** Stack traces in error responses; default CURATOR_DEBUG_ERRORS=1, and never in production. */
  debugErrors?: boolean;
  /** Access lines, internal errors, index loads; default a pino logger named "api" on stdout (LOG_LEVEL). */
  log?: Logger;
  /** The similarity indexes; by default a registry over data/indexes (INDEX_DIR) that loads on first use. */
  indexes?: IndexRegistry;
  /** Load every active factor set's index now rather than on the first query (the API process does). */
  warmIndexes?: boolean;
  /**
   * Refuse requests without an API key (default: CURATOR_REQUIRE_KEYS=1). Off, anonymous requests may read
   * (the local workbench needs no setup) but never mutate; a key that is sent is always checked.
   */
  requireKeys?: boolean;
}

/**
 * The API's HTTP server: GraphQL at /graphql through Apollo's framework-neutral entry point, so other routes
 * (audio and pictures under /media) share one plain Node server without a web framework.
 */
export async function createApp({
  db,
  production = setting("NODE_ENV") === "production",
  introspection = !production,
  debugErrors = setting("CURATOR_DEBUG_ERRORS"),
  log = createLogger("api"),
  indexes = new IndexRegistry(db, { log: (line) => log.info(`index: ${line}`) }),
  warmIndexes = false,
  requireKeys = setting("CURATOR_REQUIRE_KEYS"),
}: AppOptions): Promise<Server> {
  const observer = new Observer(log, db, indexes);
  const metricsOn = setting("CURATOR_METRICS");
  const apollo = new ApolloServer<Context>({
    // The schema through compiledExecution: graphql-jit runs each operation, Apollo does everything around it.
    gateway: compiledExecution(await buildCuratorSchema()),
    includeStacktraceInErrorResponses: debugErrors && !production,
    // No cache hints are set, and Apollo's default cache-control plugin would wrap every field resolver to
    // collect them: several promise hops per field, the largest single cost on a 50-track page.
    // Apollo's landing page loads its Sandbox from a CDN; ours (landing.ts) loads nothing from outside.
    plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginLandingPageDisabled(), queryLimitsPlugin(), observer.plugin()],
    parseOptions: QUERY_PARSE_OPTIONS,
    ...(production ? { formatError: maskInternalErrors(log) } : {}),
    introspection,
    hideSchemaDetailsFromClientErrors: production,
  });
  await apollo.start();
  // Not awaited: the server listens at once and /readyz says when every active set's index is in memory.
  if (warmIndexes) void indexes.warm();
  // With keys required, media URLs carry a signature instead: audio and image elements cannot send the key.
  const signer = requireKeys ? new MediaSigner() : undefined;
  const mediaUrl = signer ? (path: string) => signer.url(path) : (path: string) => path;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err, method: req.method, path: req.url?.split("?")[0] }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const trace = observer.start(req, res, url.pathname);
    if (url.pathname === "/healthz") return sendJson(res, 200, { ok: true });
    if (url.pathname === "/readyz") {
      const ready = await readiness(db, indexes);
      return sendJson(res, ready.ready ? 200 : 503, ready);
    }
    if (url.pathname === "/metrics" && metricsOn) return observer.metrics(res);
    if (await serveMedia(db, req, res, url, signer)) return;
    if (url.pathname !== "/graphql") return sendJson(res, 404, { error: `no route ${url.pathname}` });
    if (wantsLandingPage(req.method, req.headers.accept, url.searchParams)) return sendLandingPage(res);

    let body: unknown;
    if (req.method === "POST") {
      try {
        const raw = await readBody(req, MAX_BODY_BYTES);
        body = raw.length ? JSON.parse(raw) : {};
      } catch (err) {
        const tooLarge = err instanceof BodyTooLargeError;
        return sendJson(res, tooLarge ? 413 : 400, {
          errors: [{ message: tooLarge ? err.message : `request body is not JSON: ${(err as Error).message}`, extensions: { code: tooLarge ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST" } }],
        });
      }
    }
    let viewer;
    try {
      viewer = await authenticate(db, req.headers.authorization, requireKeys);
    } catch (err) {
      if (!(err instanceof AuthenticationFailure)) throw err;
      res.setHeader("www-authenticate", "Bearer");
      return sendJson(res, 401, { errors: [{ message: err.message, extensions: { code: "UNAUTHENTICATED" } }] });
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
      context: async () => observer.bind({ db, indexes, loaders: createLoaders(db, indexes), viewer, mediaUrl }, trace),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  server.on("close", () => void apollo.stop());
  return server;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(JSON.stringify(value));
}
