"use client";

import Link from "next/link";
import { useEffect, useState, type FormEvent } from "react";
import { ChoiceSelect } from "@/components/ChoiceSelect";
import { ErrorBanner } from "@/components/ErrorBanner";
import { formatTimestamp } from "@/lib/format";
import { runMutation, runQuery } from "@/lib/graphql";
import type { Role } from "@/lib/session";
import { useHydrated, useSession } from "@/lib/use-session";
import { ApiKeysQuery, CreateApiKey, RevokeApiKey, signInLink, type ApiKeyInfo } from "./keys";
import styles from "./KeysManager.module.css";

const ROLES: readonly { value: Role; label: string }[] = [
  { value: "EDITOR", label: "Editor: edits playlists, verdicts, filter names" },
  { value: "ANALYST", label: "Analyst: reads only" },
  { value: "ADMIN", label: "Admin: also manages keys and jobs" },
];

/** API keys for an ADMIN: create (the key and its sign-in link are shown once), name, role, revoke, last used. */
export function KeysManager() {
  const hydrated = useHydrated();
  const session = useSession();
  const [keys, setKeys] = useState<ApiKeyInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("EDITOR");
  const [issued, setIssued] = useState<{ name: string; key: string } | null>(null);
  const isAdmin = session?.role === "ADMIN";

  useEffect(() => {
    if (!isAdmin) return;
    void runQuery(ApiKeysQuery, {}).then((result) => {
      setKeys(result.ok ? result.data.apiKeys : null);
      setError(result.ok ? null : result.message);
    });
  }, [isAdmin]);

  if (!hydrated) return null;
  if (!isAdmin) {
    return (
      <p>
        Managing keys needs an admin&apos;s key. <Link href="/signin">Sign in</Link> with one (the demo&apos;s sign-in link is an admin&apos;s).
      </p>
    );
  }

  async function create(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const result = await runMutation(CreateApiKey, { name: name.trim(), role });
    if (!result.ok) return setError(result.message);
    setError(null);
    setIssued({ name: result.data.createApiKey.info.name, key: result.data.createApiKey.key });
    setKeys((k) => [result.data.createApiKey.info, ...(k ?? [])]);
    setName("");
  }

  async function revoke(key: ApiKeyInfo): Promise<void> {
    if (!window.confirm(`Revoke "${key.name}"? Requests with it are refused from then on; this cannot be undone.`)) return;
    const result = await runMutation(RevokeApiKey, { id: key.id });
    if (!result.ok) return setError(result.message);
    setError(null);
    setKeys((k) => k?.map((row) => (row.id === key.id ? result.data.revokeApiKey : row)) ?? null);
  }

  return (
    <>
      <form className={styles.create} onSubmit={create} aria-label="Create a key">
        <label>
          Name{" "}
          <input value={name} maxLength={100} placeholder="who will use it" onChange={(event) => setName(event.target.value)} />
        </label>
        <ChoiceSelect label="Role" value={role} choices={ROLES} onChange={setRole} />
        <button type="submit" disabled={!name.trim()}>
          Create key
        </button>
      </form>
      {issued && (
        <section className={styles.issued} aria-label="New key">
          <p>
            <strong>Key for {issued.name}</strong>, shown this once (only its hash is stored). Send its owner the sign-in link, or the key itself:
          </p>
          <input readOnly aria-label="Sign-in link" value={signInLink(window.location.origin, issued.key)} onFocus={(event) => event.target.select()} />
          <input readOnly aria-label="New API key" value={issued.key} onFocus={(event) => event.target.select()} />
          <button type="button" onClick={() => setIssued(null)}>
            Done
          </button>
        </section>
      )}
      {error && <ErrorBanner title="Could not load or change the keys." message={error} />}
      {keys && (
        <ul className={styles.list} aria-label="API keys">
          {keys.map((key) => (
            <li key={key.id} className={styles.item} data-revoked={key.revokedAt ? "" : undefined} aria-label={`Key ${key.name}`}>
              <strong className={styles.name}>{key.name}</strong>
              <span className={styles.role}>{key.role.toLowerCase()}</span>
              <span className={styles.muted}>created {formatTimestamp(key.createdAt)}</span>
              <span className={styles.muted}>{key.lastUsedAt ? `last used ${formatTimestamp(key.lastUsedAt)}` : "never used"}</span>
              {key.revokedAt ? (
                <span className={styles.revoked}>revoked {formatTimestamp(key.revokedAt)}</span>
              ) : key.name === session.name ? (
                <span className={styles.muted}>your key</span>
              ) : (
                <button type="button" onClick={() => void revoke(key)} aria-label={`Revoke ${key.name}`}>
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
