import { test } from "node:test";
import assert from "node:assert/strict";
import { issueApiKey, hashKey } from "@curator/db/api-keys.js";
import type { Role } from "@curator/db/client.js";
import { buildCuratorSchema } from "@curator/server/build-schema.js";
import { freshDb } from "../support/db.js";
import { startApi } from "../support/api.js";

/** Every mutation with arguments naming rows that do not exist, and the least role that may run it. */
const MUTATIONS: Record<string, { role: Role; doc: string }> = {
  createPlaylist: { role: "EDITOR", doc: `mutation { createPlaylist(name: "x") { id } }` },
  renamePlaylist: { role: "EDITOR", doc: `mutation { renamePlaylist(id: 999999, name: "x") { id } }` },
  deletePlaylist: { role: "EDITOR", doc: `mutation { deletePlaylist(id: 999999) }` },
  addToPlaylist: { role: "EDITOR", doc: `mutation { addToPlaylist(playlistId: 999999, trackIds: [1]) { id } }` },
  removeFromPlaylist: { role: "EDITOR", doc: `mutation { removeFromPlaylist(itemId: 999999) { id } }` },
  movePlaylistItem: { role: "EDITOR", doc: `mutation { movePlaylistItem(itemId: 999999, toPosition: 1) { id } }` },
  generatePlaylist: { role: "EDITOR", doc: `mutation { generatePlaylist(input: { trackIds: [999999] }) { id } }` },
  reviewFlag: { role: "EDITOR", doc: `mutation { reviewFlag(id: 999999, verdict: CONFIRMED) { id } }` },
  setFlagStatus: { role: "EDITOR", doc: `mutation { setFlagStatus(ids: [999999], status: REJECTED) { id } }` },
  noteFlag: { role: "EDITOR", doc: `mutation { noteFlag(id: 999999, note: "x") { id } }` },
  createApiKey: { role: "ADMIN", doc: `mutation { createApiKey(name: "x", role: ANALYST) { key } }` },
  revokeApiKey: { role: "ADMIN", doc: `mutation { revokeApiKey(id: 999999) { id } }` },
  renameFilter: { role: "EDITOR", doc: `mutation { renameFilter(id: 999999, name: "x") { id } }` },
  startJob: { role: "ADMIN", doc: `mutation { startJob(stage: "factorize") { id status } }` },
  cancelJob: { role: "ADMIN", doc: `mutation { cancelJob(id: 999999) { id status } }` },
};
const RANK: Record<Role, number> = { ANALYST: 0, EDITOR: 1, ADMIN: 2 };

test("every mutation needs its role: anonymous is UNAUTHENTICATED, a lower role FORBIDDEN, enough reaches the resolver", async () => {
  const mutationType = (await buildCuratorSchema()).getMutationType();
  assert.deepEqual(Object.keys(mutationType!.getFields()).sort(), Object.keys(MUTATIONS).sort(), "a mutation is missing from this matrix");

  const handle = await freshDb();
  const api = await startApi(handle.db);
  try {
    const keys = {
      ANALYST: (await issueApiKey(handle.db, "analyst", "ANALYST")).key,
      EDITOR: (await issueApiKey(handle.db, "editor", "EDITOR")).key,
      ADMIN: (await issueApiKey(handle.db, "admin", "ADMIN")).key,
    };
    for (const [name, { role: needed, doc }] of Object.entries(MUTATIONS)) {
      const anonymous = await api.query(doc);
      assert.equal(anonymous.body.errors?.[0]?.extensions?.code, "UNAUTHENTICATED", `${name} anonymous`);
      for (const role of ["ANALYST", "EDITOR", "ADMIN"] as const) {
        const res = await api.query(doc, {}, keys[role]);
        const code = res.body.errors?.[0]?.extensions?.code;
        if (RANK[role] < RANK[needed]) {
          assert.equal(code, "FORBIDDEN", `${name} as ${role}`);
          assert.match(res.body.errors![0]!.message, new RegExp(`needs role ${needed}`));
        } else {
          // Allowed: the resolver runs and, for the rows that do not exist, answers NOT_FOUND.
          const creates = name === "createPlaylist" || name === "startJob" || name === "createApiKey";
          assert.equal(code, creates ? undefined : "NOT_FOUND", `${name} as ${role}: ${JSON.stringify(res.body.errors)}`);
        }
      }
    }
    const job = await api.query<{ startJob: { status: string } }>(MUTATIONS.startJob!.doc, {}, keys.ADMIN);
    assert.equal(job.body.data?.startJob.status, "QUEUED");

    // Reads need no key by default, and work with any valid key.
    assert.equal((await api.query("{ health { ok } }")).body.data?.health !== undefined, true);
    assert.equal((await api.query("{ health { ok } }", {}, keys.ANALYST)).status, 200);
  } finally {
    await api.close();
    await handle.close();
  }
});

test("keys are stored as sha256 only; wrong, malformed and revoked keys get 401; CURATOR_REQUIRE_KEYS refuses anonymous reads", async () => {
  const handle = await freshDb();
  const open = await startApi(handle.db);
  const strict = await startApi(handle.db, { requireKeys: true });
  try {
    const issued = await issueApiKey(handle.db, "reader", "ANALYST");
    const row = await handle.db.apiKey.findUniqueOrThrow({ where: { id: issued.id } });
    assert.equal(row.hash, hashKey(issued.key));
    assert.notEqual(row.hash, issued.key);

    for (const api of [open, strict]) {
      const wrong = await api.query("{ health { ok } }", {}, "cur_not-a-key");
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
      const malformed = await fetch(api.url, { method: "POST", headers: { "content-type": "application/json", authorization: "Basic abc" }, body: JSON.stringify({ query: "{ health { ok } }" }) });
      assert.equal(malformed.status, 401);
    }

    const anonymous = await strict.query("{ health { ok } }");
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
    const withKey = await strict.query<{ health: { ok: boolean } }>("{ health { ok } }", {}, issued.key);
    assert.equal(withKey.body.data?.health.ok, true);

    await handle.db.apiKey.update({ where: { id: issued.id }, data: { revokedAt: new Date() } });
    const revoked = await strict.query("{ health { ok } }", {}, issued.key);
    assert.equal(revoked.status, 401);
    assert.match(revoked.body.errors![0]!.message, /unknown or revoked/);
  } finally {
    await open.close();
    await strict.close();
    await handle.close();
  }
});
