import type { Enum } from "./gql";

/** The key's role as the API's `viewer` query reports it: an analyst reads, an editor (or admin) also edits. */
export type Role = Enum<"Role">;

export interface Session {
  key: string;
  /** The name the key was issued under. */
  name: string;
  role: Role;
}

// v2: sessions stored by the probe-based sign-in had no role or name; a new key makes them sign in again.
const STORAGE_KEY = "curator.session.v2";
const listeners = new Set<() => void>();
/** useSyncExternalStore compares snapshots by identity, so the parsed session is cached per stored string. */
let cached: { raw: string | null; session: Session | null } = { raw: null, session: null };

/** The stored session; kept apart from React so lib/graphql.ts can read it in server bundles too (as null). */
export function readSession(): Session | null {
  if (typeof window === "undefined") return null;
  const raw = window.localStorage.getItem(STORAGE_KEY);
  if (raw !== cached.raw) cached = { raw, session: raw ? (JSON.parse(raw) as Session) : null };
  return cached.session;
}

export function saveSession(session: Session | null): void {
  if (session) window.localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else window.localStorage.removeItem(STORAGE_KEY);
  for (const listener of listeners) listener();
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  // Signing in or out in another tab changes this one too.
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}
