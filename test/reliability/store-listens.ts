// `node test/dist/reliability/store-listens.js FILE FORMAT`: imports a listens file into DATABASE_URL's database in
// its own process (as `curator ingest --listens` stores it, without a catalogue), printing the result as JSON.
import { openDb } from "@curator/db/client.js";
import { parseListenFormat } from "@curator/worker/ingest/listens/import.js";
import { storeListenFile } from "@curator/worker/ingest/store/listen-file.js";

const [path, format] = process.argv.slice(2);
const db = openDb();
try {
  const out = await storeListenFile(db, { path: path!, format: parseListenFormat(format!) });
  console.log(JSON.stringify({ stored: out.stored, users: out.users, bad: out.bad.length }));
} finally {
  await db.$disconnect();
}
