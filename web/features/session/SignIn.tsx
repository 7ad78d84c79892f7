"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { saveSession, type Session } from "@/lib/session";
import { useHydrated, useSession } from "@/lib/use-session";
import { signIn } from "./viewer";
import styles from "./SignIn.module.css";

const ROLE_LABELS: Record<Session["role"], string> = { ANALYST: "Analyst (read only)", EDITOR: "Editor", ADMIN: "Admin" };

/** The header's key form: the key stays in this browser's localStorage and goes out as a Bearer token. */
export function SignIn() {
  const session = useSession();
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  const [key, setKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (session) {
    return (
      <div className={styles.signedIn}>
        <span className={styles.access} title={`Signed in as ${session.name}`}>
          {ROLE_LABELS[session.role]}
        </span>
        {session.role === "ADMIN" && (
          <Link href="/keys" className={styles.keys}>
            Keys
          </Link>
        )}
        <button type="button" className={styles.button} onClick={() => saveSession(null)}>
          Sign out
        </button>
      </div>
    );
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setBusy(true);
    const result = await signIn(key.trim());
    setBusy(false);
    if (result.ok) {
      setOpen(false);
      setKey("");
      setError(null);
    } else {
      setError(result.message);
    }
  }

  if (!open) {
    return (
      <button type="button" className={styles.button} disabled={!hydrated} onClick={() => setOpen(true)}>
        Sign in
      </button>
    );
  }
  return (
    <form className={styles.form} onSubmit={onSubmit} onKeyDown={(event) => event.key === "Escape" && setOpen(false)}>
      <label htmlFor="api-key" className={styles.label}>
        API key
      </label>
      <input
        id="api-key"
        type="password"
        autoFocus
        autoComplete="off"
        placeholder="cur_…"
        value={key}
        onChange={(event) => setKey(event.target.value)}
        className={styles.input}
      />
      <button type="submit" className={styles.button} disabled={busy || !key.trim()}>
        {busy ? "Checking…" : "Sign in"}
      </button>
      {error && (
        <span role="alert" className={styles.error}>
          {error}
        </span>
      )}
    </form>
  );
}
