"use client";

import { useState } from "react";
import { runQuery } from "@/lib/graphql";
import { WhySimilarQuery, type SharedUnit } from "./queries";
import styles from "./Track.module.css";

const TOP_UNITS = 3;

type State = { status: "idle" | "loading" } | { status: "done"; units: SharedUnit[] } | { status: "failed"; message: string };

/**
 * The dense units two tracks share, fetched only when the row is opened: thirty neighbours' explanations up front
 * would multiply the page's queries for something an editor reads for one or two rows.
 */
export function WhySimilar({ from, to }: { from: number; to: number }) {
  const [state, setState] = useState<State>({ status: "idle" });

  async function load(): Promise<void> {
    if (state.status !== "idle") return;
    setState({ status: "loading" });
    const result = await runQuery(WhySimilarQuery, { id: from, to, top: TOP_UNITS });
    setState(result.ok ? { status: "done", units: result.data.track?.whySimilar ?? [] } : { status: "failed", message: result.message });
  }

  return (
    <details className={styles.why} onToggle={(event) => event.currentTarget.open && void load()} onMouseEnter={() => void load()}>
      <summary>why</summary>
      <div className={styles.whyBody}>
        {state.status === "failed" ? (
          <span role="alert">{state.message}</span>
        ) : state.status !== "done" ? (
          "…"
        ) : state.units.length === 0 ? (
          "No shared dense units (no activations stored)."
        ) : (
          <ul aria-label="Shared dense units">
            {state.units.map((u) => (
              <li key={u.filter.id}>
                {u.name} <span className={styles.muted}>{Math.round(u.share * 100)}%</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </details>
  );
}
