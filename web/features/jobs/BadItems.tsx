"use client";

import { useEffect, useState } from "react";
import buttons from "@/components/button.module.css";
import { runQuery } from "@/lib/graphql";
import { JobBadItemsQuery, type BadItem } from "./queries";
import styles from "./Jobs.module.css";

/** Items per page: a stage that skipped thousands of files is read a page at a time, never in one list. */
const PAGE = 100;

type State = { items: BadItem[]; more: boolean; loading: boolean; error: string | null };

/** The items a job skipped, with the reason for each, a page at a time from the API (`after` the last one shown). */
export function BadItemsList({ jobId, count }: { jobId: number; count: number }) {
  const [state, setState] = useState<State>({ items: [], more: true, loading: false, error: null });

  async function load(after: number | null): Promise<void> {
    setState((s) => ({ ...s, loading: true }));
    const result = await runQuery(JobBadItemsQuery, { id: jobId, first: PAGE, after });
    setState((s) =>
      result.ok
        ? { items: [...s.items, ...(result.data.job?.badItems ?? [])], more: (result.data.job?.badItems.length ?? 0) === PAGE, loading: false, error: null }
        : { ...s, loading: false, error: result.message },
    );
  }

  useEffect(() => {
    void load(null);
  }, [jobId]);

  if (state.error) return <span role="alert">{state.error}</span>;
  if (state.items.length === 0) return <span>{state.loading ? "…" : "None recorded."}</span>;
  return (
    <>
      <ul className={styles.badList} aria-label={`Items job #${jobId} skipped`}>
        {state.items.map((bad) => (
          <li key={bad.id}>
            <code>{bad.item}</code> — <span className={styles.error}>{bad.reason}</span>
          </li>
        ))}
      </ul>
      {state.more && (
        <button type="button" className={`${buttons.button} ${buttons.small}`} disabled={state.loading} onClick={() => void load(state.items.at(-1)!.id)}>
          Show {Math.min(PAGE, count - state.items.length) || PAGE} more of {count}
        </button>
      )}
    </>
  );
}

/** The list row's fold: the items are fetched when opened, since the list polls every 2 s. */
export function BadItems({ jobId, count }: { jobId: number; count: number }) {
  const [open, setOpen] = useState(false);
  return (
    <details className={styles.badItems} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        {count} skipped {count === 1 ? "item" : "items"}
      </summary>
      {open && <BadItemsList jobId={jobId} count={count} />}
    </details>
  );
}
