// API keys: the server checks them, the `curator keys` CLI issues them. Both import this module, which lives
// beside the schema because the stored form (sha256 of the key) is part of the data model's contract.
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "./client.js";
import type { Role } from "./generated/sqlite/enums.js";

/** The prefix makes a leaked key recognisable by secret scanners and in logs. */
const PREFIX = "cur_";

export interface IssuedKey {
  id: number;
  name: string;
  role: Role;
  /** The key itself: shown once, never stored. */
  key: string;
}

export interface KeyHolder {
  id: number;
  name: string;
  role: Role;
}

export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export async function issueApiKey(db: Db, name: string, role: Role): Promise<IssuedKey> {
  // 32 random bytes: guessing is hopeless, so one unsalted fast hash is enough to keep the stored form useless.
  const key = `${PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = await db.apiKey.create({ data: { name, role, hash: hashKey(key) } });
  return { id: row.id, name: row.name, role: row.role, key };
}

/** How stale a key's lastUsedAt may get: one write a minute per key, not one per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The holder of a key, or undefined for an unknown or revoked one; records when the key was last used. */
export async function findKeyHolder(db: Db, key: string, now = new Date()): Promise<KeyHolder | undefined> {
  const row = await db.apiKey.findUnique({ where: { hash: hashKey(key) } });
  if (!row || row.revokedAt) return undefined;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { id: row.id, name: row.name, role: row.role };
}

/** Marks a key revoked (kept for the audit trail); false when no such key exists. */
export async function revokeApiKey(db: Db, id: number): Promise<boolean> {
  const { count } = await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count > 0) return true;
  return (await db.apiKey.count({ where: { id } })) > 0;
}
