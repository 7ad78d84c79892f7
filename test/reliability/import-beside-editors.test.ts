// Issue 25, item 2: a large listens import in its own process while editors change playlists through the API.
// SQLite write transactions used to begin deferred, so whichever side read first and wrote second failed at once
// when the other had written (SQLITE_BUSY): imports rolled back whole, edits failed. Both must now wait and succeed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { issueApiKey } from "@curator/db/api-keys.js";
import { freshDb, testBackend } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";
import { startApi } from "../support/api.js";
import { startScript } from "./cli.js";

const USERS = 4_000;
const EDITORS = 3;
const EDITS = 25;
const STORE_LISTENS = fileURLToPath(new URL("./store-listens.js", import.meta.url));

test(`a ${USERS * 40}-listen import beside ${EDITORS} editors loses nothing on ${testBackend()}`, async () => {
  const handle = await freshDb();
  const { db } = handle;
  const api = await startApi(db);
  const dir = mkdtempSync(join(tmpdir(), "curator-mixed-"));
  try {
    const tracks = await seedCatalog(db, 4, 10);
    const external = await db.track.findMany({ select: { id: true, externalId: true }, orderBy: { id: "asc" } });
    // Existing users with listens: the import's first statements read them, then write (the deferred-lock failure).
    const lines = ["user_id,track_id,plays"];
    for (let u = 0; u < USERS; u++) for (const t of external) lines.push(`u${u},${t.externalId},${1 + ((u + t.id) % 7)}`);
    const file = join(dir, "listens.csv");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const { key } = await issueApiKey(db, "editor", "EDITOR");

    const importing = startScript(STORE_LISTENS, [file, "csv"], handle.url);
    const editor = async (e: number): Promise<string[]> => {
      const failures: string[] = [];
      const created = await api.query<{ createPlaylist: { id: number } }>(`mutation { createPlaylist(name: "editor ${e}") { id } }`, {}, key);
      const playlistId = created.body.data!.createPlaylist.id;
      for (let i = 0; i < EDITS; i++) {
        const r = await api.query(`mutation ($p: Int!, $t: [Int!]!) { addToPlaylist(playlistId: $p, trackIds: $t) { id } }`, { p: playlistId, t: [tracks[i % tracks.length]!.id] }, key);
        if (r.body.errors) failures.push(r.body.errors[0]!.message);
      }
      return failures;
    };
    const editing = Promise.all(Array.from({ length: EDITORS }, (_, e) => editor(e)));
    const [code, failures] = await Promise.all([importing.exited, editing]);

    assert.equal(code, 0, `the import failed:\n${importing.stderr()}`);
    assert.deepEqual(importing.events[0], { stored: USERS * external.length, users: USERS, bad: 0 });
    assert.equal(await db.listen.count(), USERS * external.length, "every listen of the import is stored");
    assert.deepEqual(failures.flat(), [], "every edit succeeded");
    const lengths = await db.playlistItem.groupBy({ by: ["playlistId"], _count: { _all: true } });
    assert.deepEqual(lengths.map((l) => l._count._all), Array(EDITORS).fill(EDITS));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await api.close();
    await handle.close();
  }
});
