import { openDb, resolveDatabase } from "@curator/db/client.js";
import { createApp } from "./http/app.js";
import { warmRenditions } from "./media/rendition.js";

/** Starts the API: `node server/dist/main.js` (API_PORT, API_HOST, DATABASE_URL from the environment). */
async function main(): Promise<void> {
  const port = Number(process.env.API_PORT ?? 4000);
  const host = process.env.API_HOST ?? "127.0.0.1";
  const db = openDb();
  const server = await createApp({ db, warmIndexes: true });
  server.listen(port, host, () => {
    console.log(`api: GraphQL ready at http://${host}:${port}/graphql (${resolveDatabase().backend})`);
    void warmRenditions(db).catch((err: unknown) => console.error(`api: renditions not warmed: ${err instanceof Error ? err.message : String(err)}`));
  });
  const shutdown = () => server.close(() => void db.$disconnect().then(() => process.exit(0)));
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((err: unknown) => {
  console.error(`api: failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
