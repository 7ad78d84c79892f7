"use client";

import { useState } from "react";
import { Badge } from "@/components/Badge";
import { runMutation } from "@/lib/graphql";
import { useCanEdit } from "@/lib/use-session";
import { ReviewFlag, type Flag } from "./queries";
import styles from "./Flags.module.css";

const statusTone = { OPEN: "warning", CONFIRMED: "danger", REJECTED: "neutral" } as const;

/** One outlier flag: what and why, its verdict, and for editors the buttons that give one. */
export function FlagItem({ initial, onReviewed }: { initial: Flag; onReviewed?: (flag: Flag) => void }) {
  const [flag, setFlag] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const canEdit = useCanEdit();

  async function review(verdict: "CONFIRMED" | "REJECTED"): Promise<void> {
    const result = await runMutation(ReviewFlag, { id: flag.id, verdict });
    if (result.ok) {
      setFlag(result.data.reviewFlag);
      onReviewed?.(result.data.reviewFlag);
    }
    setError(result.ok ? null : result.message);
  }

  return (
    <span className={styles.flag} data-flag-status={flag.status}>
      <Badge tone="warning" title={`${flag.reason} (score ${flag.score.toFixed(2)})`}>
        {flag.kind.toLowerCase()}
      </Badge>
      {flag.status !== "OPEN" && (
        <Badge tone={statusTone[flag.status]} title={flag.verdictBy ? `by ${flag.verdictBy}` : undefined}>
          {flag.status.toLowerCase()}
        </Badge>
      )}
      {canEdit && flag.status === "OPEN" && (
        <>
          <button type="button" className={styles.action} onClick={() => review("CONFIRMED")} aria-label={`Confirm ${flag.kind.toLowerCase()} flag`}>
            Confirm
          </button>
          <button type="button" className={styles.action} onClick={() => review("REJECTED")} aria-label={`Reject ${flag.kind.toLowerCase()} flag`}>
            Reject
          </button>
        </>
      )}
      {error && (
        <span role="alert" className={styles.error}>
          {error}
        </span>
      )}
    </span>
  );
}
