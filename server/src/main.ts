import { openDb, resolveDatabase } from "@curator/db/client.js";
import { loadSettings, SettingsError } from "@curator/db/settings.js";
import { createLogger } from "@curator/worker/log.js";
import { createApp } from "./http/app.js";
import { warmRenditions } from "./media/rendition.js";

/**
 * Starts the API: `node server/dist/main.js`. Every setting is validated first (prisma/src/settings.ts), so a bad
 * value stops the process before it opens anything; indexes load after the server listens (/readyz tells when).
 */
async function main(): Promise<void> {
  const settings = loadSettings();
  const log = createLogger("api");
  const db = openDb();
  const server = await createApp({ db, log, warmIndexes: true });
  server.listen(settings.API_PORT, settings.API_HOST, () => {
    const { backend } = resolveDatabase();
    log.info({ url: `http://${settings.API_HOST}:${settings.API_PORT}/graphql`, database: backend, mode: settings.NODE_ENV }, "GraphQL API listening");
    void warmRenditions(db).catch((err: unknown) => log.warn({ err }, "renditions not warmed"));
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping: finishing open requests");
    server.closeIdleConnections();
    server.close(() => void db.$disconnect().then(() => process.exit(0)));
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  // A settings error names each bad variable; plain stderr, since the logger itself reads settings.
  const message = err instanceof SettingsError ? `bad configuration: ${err.message}` : err instanceof Error ? err.message : String(err);
  console.error(`api: failed to start: ${message}`);
  process.exit(err instanceof SettingsError ? 78 : 1);
});
