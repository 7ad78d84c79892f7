"use client";

import Link from "next/link";
import { useEffect, useState, type FormEvent } from "react";
import { useSession } from "@/lib/use-session";
import { signIn } from "./viewer";
import styles from "./LinkSignIn.module.css";

type State = { step: "idle" } | { step: "checking" } | { step: "failed"; message: string };

/**
 * The sign-in page: a link of the form /signin#key=cur_… (what `npm run demo` prints) signs this browser in at
 * once; the key is in the fragment, which browsers never send to a server, and is removed from the address bar
 * as soon as it is read. Without a link, the key can be pasted here.
 */
export function LinkSignIn() {
  const session = useSession();
  const [state, setState] = useState<State>({ step: "idle" });
  const [key, setKey] = useState("");

  async function check(candidate: string): Promise<void> {
    setState({ step: "checking" });
    const result = await signIn(candidate);
    setState(result.ok ? { step: "idle" } : { step: "failed", message: result.message });
  }

  useEffect(() => {
    // On load, and when a link is opened while this page is already showing (only the fragment changes then).
    const readLink = () => {
      const fromLink = new URLSearchParams(window.location.hash.slice(1)).get("key");
      if (!fromLink) return;
      window.history.replaceState(null, "", window.location.pathname);
      void check(fromLink);
    };
    readLink();
    window.addEventListener("hashchange", readLink);
    return () => window.removeEventListener("hashchange", readLink);
  }, []);

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (key.trim()) void check(key.trim());
  }

  return (
    <div className={styles.page}>
      {state.step === "checking" && <p role="status">Checking the key…</p>}
      {state.step === "failed" && (
        <p role="alert" className={styles.error}>
          Not signed in: {state.message} A sign-in link stops working when its key is revoked or a new demo run replaces it.
        </p>
      )}
      {session ? (
        <section aria-label="Signed in" className={styles.done}>
          <p>
            <strong>
              Signed in as {session.name} ({session.role.toLowerCase()}).
            </strong>{" "}
            {session.role === "ANALYST" ? "This key reads only." : "You can now edit playlists, flag verdicts and filter names."}
          </p>
          <ul>
            <li>
              <Link href="/">Find a track in the catalogue</Link>
            </li>
            <li>
              <Link href="/flags">Review outlier flags</Link>
            </li>
            <li>
              <Link href="/playlists">Build a playlist</Link>
            </li>
            {session.role === "ADMIN" && (
              <li>
                <Link href="/keys">Manage API keys</Link> (give each editor their own)
              </li>
            )}
          </ul>
        </section>
      ) : (
        <>
          <p>
            Anyone may look around; editing (playlists, flag verdicts, filter names) needs an API key. <code>npm run demo</code> prints a sign-in link
            that opens this page and signs you in as an admin; an admin can make keys for others under Keys.
          </p>
          <form onSubmit={onSubmit} className={styles.form}>
            <label htmlFor="signin-key">API key</label>
            <input id="signin-key" type="password" autoComplete="off" placeholder="cur_…" value={key} onChange={(event) => setKey(event.target.value)} />
            <button type="submit" disabled={state.step === "checking" || !key.trim()}>
              Sign in
            </button>
          </form>
          <p className={styles.muted}>
            From a terminal: <code>npx curator keys create --name &quot;Your name&quot; --role EDITOR</code> prints a key.
          </p>
        </>
      )}
    </div>
  );
}
