"use client";

import { useState } from "react";
import { runQuery } from "@/lib/graphql";
import { JobBadItemsQuery, type BadItem } from "./queries";
import styles from "./Jobs.module.css";

/** Listed up to here; a stage that skipped thousands of files says so in its count, not in a page-long list. */
const LISTED = 200;

type State = { status: "idle" | "loading" } | { status: "done"; items: BadItem[] } | { status: "failed"; message: string };

/**
 * The items a job skipped, with the reason for each, fetched when opened: the job list polls every 2 s and
 * must not carry every skipped file of every job each time.
 */
export function BadItems({ jobId, count }: { jobId: number; count: number }) {
  const [state, setState] = useState<State>({ status: "idle" });

  async function load(): Promise<void> {
    if (state.status !== "idle") return;
    setState({ status: "loading" });
    const result = await runQuery(JobBadItemsQuery, { id: jobId });
    setState(result.ok ? { status: "done", items: result.data.job?.badItems ?? [] } : { status: "failed", message: result.message });
  }

  return (
    <details className={styles.badItems} onToggle={(event) => event.currentTarget.open && void load()}>
      <summary>
        {count} skipped {count === 1 ? "item" : "items"}
      </summary>
      {state.status === "failed" ? (
        <span role="alert">{state.message}</span>
      ) : state.status !== "done" ? (
        "…"
      ) : state.items.length === 0 ? (
        "None recorded."
      ) : (
        <ul aria-label={`Items job #${jobId} skipped`}>
          {state.items.slice(0, LISTED).map((bad, i) => (
            <li key={i}>
              <code>{bad.item}</code> — <span className={styles.error}>{bad.reason}</span>
            </li>
          ))}
          {state.items.length > LISTED && <li>…and {state.items.length - LISTED} more.</li>}
        </ul>
      )}
    </details>
  );
}
