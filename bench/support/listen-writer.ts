// Child process of `bench api`: one listens import (storeListens: one write transaction, as `curator ingest
// --listens` stores a file) of USERS users × every stored track into DATABASE_URL; prints {"listens","seconds"}.
import { openDb } from "@curator/db/client.js";
import { storeListens, type ListenInput } from "@curator/worker/ingest/store/listen-store.js";

const users = Number(process.argv[2]);
const db = openDb();
try {
  const tracks = await db.track.findMany({ select: { externalId: true } });
  const listens: ListenInput[] = [];
  for (let u = 0; u < users; u++) for (const [i, t] of tracks.entries()) listens.push({ user: `writer-${u}`, track: t.externalId, plays: 1 + ((u + i) % 5) });
  const start = performance.now();
  await storeListens(db, listens, "bench");
  console.log(JSON.stringify({ listens: listens.length, seconds: (performance.now() - start) / 1000 }));
} finally {
  await db.$disconnect();
}
