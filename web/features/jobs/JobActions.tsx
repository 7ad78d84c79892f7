"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import buttons from "@/components/button.module.css";
import { runMutation } from "@/lib/graphql";
import { useHydrated, useSession } from "@/lib/use-session";
import { CancelJob, StartJob, isActive, type JobDetail } from "./queries";
import styles from "./Jobs.module.css";

/**
 * Cancel and re-run for an ADMIN; anyone else is told what it takes. Re-running queues the stage with the job's own
 * params; a stage no worker takes from the queue is re-run with `curator <stage>`, and the page says so.
 */
export function JobActions({ job, queuedStages, onChange }: { job: JobDetail; queuedStages: readonly string[]; onChange: (job: Partial<JobDetail>) => void }) {
  const hydrated = useHydrated();
  const session = useSession();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const queueable = queuedStages.includes(job.stage);
  const active = isActive(job);

  if (!hydrated) return null;
  if (session?.role !== "ADMIN") {
    return (
      <p className={styles.hint} data-testid="job-actions-hint">
        {session ? <>Your key ({session.name}) is not an admin&apos;s: </> : <><Link href="/signin">Sign in</Link> with an admin&apos;s key: </>}
        only admins cancel or re-run jobs.
      </p>
    );
  }

  async function cancel(): Promise<void> {
    setBusy(true);
    const result = await runMutation(CancelJob, { id: job.id });
    setBusy(false);
    if (!result.ok) return setError(result.message);
    setError(null);
    onChange(result.data.cancelJob);
  }

  async function rerun(): Promise<void> {
    setBusy(true);
    const result = await runMutation(StartJob, { stage: job.stage, params: job.params });
    setBusy(false);
    if (!result.ok) return setError(result.message);
    router.push(`/jobs/${result.data.startJob.id}`);
  }

  return (
    <div className={styles.actions} role="group" aria-label="Job actions">
      {active && (
        <button type="button" className={`${buttons.button} ${styles.action}`} disabled={busy} onClick={() => void cancel()}>
          Cancel job
        </button>
      )}
      {active ? null : queueable ? (
        <button type="button" className={`${buttons.button} ${styles.action}`} disabled={busy} onClick={() => void rerun()}>
          Re-run with these parameters
        </button>
      ) : (
        <span className={styles.hint}>
          {job.stage} runs from the command line (<code>npx curator {job.stage}</code>); the workbench queues {queuedStages.join(" and ")}.
        </span>
      )}
      {active && <span className={styles.hint}>A running job stops after its current item; what it has stored stays.</span>}
      {error && (
        <span role="alert" className={styles.error}>
          {error}
        </span>
      )}
    </div>
  );
}
