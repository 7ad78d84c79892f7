import { test } from "node:test";
import assert from "node:assert/strict";
import { issueApiKey } from "@curator/db/api-keys.js";
import { freshDb } from "../support/db.js";
import { startApi } from "../support/api.js";

interface KeyRow {
  id: number;
  name: string;
  role: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

test("an ADMIN manages API keys over GraphQL: create (shown once), list with last use, revoke; others are refused", async () => {
  const { db, close } = await freshDb();
  const api = await startApi(db);
  try {
    const admin = await issueApiKey(db, "Grace (admin)", "ADMIN");
    const editor = await issueApiKey(db, "Ada (editor)", "EDITOR");
    const ask = async <T>(query: string, key?: string) => {
      const res = await api.query<T>(query, {}, key);
      if (res.body.errors) throw new Error(`${res.body.errors[0]!.extensions?.code}: ${res.body.errors[0]!.message}`);
      return res.body.data!;
    };

    await assert.rejects(ask("{ apiKeys { id } }", editor.key), /FORBIDDEN: this operation needs role ADMIN/);
    await assert.rejects(ask("{ apiKeys { id } }"), /UNAUTHENTICATED/);
    await assert.rejects(ask(`mutation { createApiKey(name: "x", role: ADMIN) { key } }`, editor.key), /FORBIDDEN/);

    const created = await ask<{ createApiKey: { key: string; info: KeyRow } }>(`mutation { createApiKey(name: "  Lin (editor)  ", role: EDITOR) { key info { id name role lastUsedAt revokedAt } } }`, admin.key);
    assert.match(created.createApiKey.key, /^cur_[\w-]{43}$/);
    assert.deepEqual({ ...created.createApiKey.info, id: 0 }, { id: 0, name: "Lin (editor)", role: "EDITOR", lastUsedAt: null, revokedAt: null });
    const stored = await db.apiKey.findUniqueOrThrow({ where: { id: created.createApiKey.info.id } });
    assert.notEqual(stored.hash, created.createApiKey.key, "only the hash is stored");

    // The new key works at once, and its use is recorded.
    const viewer = await ask<{ viewer: { name: string; role: string } }>("{ viewer { name role } }", created.createApiKey.key);
    assert.deepEqual(viewer.viewer, { name: "Lin (editor)", role: "EDITOR" });
    const listed = await ask<{ apiKeys: KeyRow[] }>("{ apiKeys { id name role lastUsedAt revokedAt } }", admin.key);
    assert.deepEqual(listed.apiKeys.map((k) => k.name), ["Lin (editor)", "Ada (editor)", "Grace (admin)"], "newest first");
    assert.ok(listed.apiKeys[0]!.lastUsedAt !== null, "the new key's use is recorded");
    assert.ok(listed.apiKeys[1]!.lastUsedAt !== null, "a key that was refused an operation was still used");

    const revoked = await ask<{ revokeApiKey: KeyRow }>(`mutation { revokeApiKey(id: ${created.createApiKey.info.id}) { revokedAt } }`, admin.key);
    assert.ok(revoked.revokeApiKey.revokedAt !== null);
    const refused = await api.query("{ viewer { name } }", {}, created.createApiKey.key);
    assert.equal(refused.status, 401, "a revoked key is refused");
    await assert.rejects(ask(`mutation { revokeApiKey(id: ${admin.id}) { id } }`, admin.key), /BAD_USER_INPUT: this is the key you are signed in with/);
    await assert.rejects(ask("mutation { revokeApiKey(id: 999999) { id } }", admin.key), /NOT_FOUND/);
    await assert.rejects(ask(`mutation { createApiKey(name: "   ", role: EDITOR) { key } }`, admin.key), /BAD_USER_INPUT: name is empty/);
  } finally {
    await api.close();
    await close();
  }
});
