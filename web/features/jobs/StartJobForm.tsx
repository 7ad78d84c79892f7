"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import buttons from "@/components/button.module.css";
import { runMutation } from "@/lib/graphql";
import { useHydrated, useSession } from "@/lib/use-session";
import { StartJob } from "./queries";
import styles from "./Jobs.module.css";

/** What to type for each queued stage: the options of `curator <stage>`, as JSON. */
const EXAMPLES: Record<string, string> = {
  features: '{"mode": "both"}',
  factorize: '{"factors": 40, "iterations": 15}',
};

/** An ADMIN queues a stage with JSON params and lands on the new job's page; others see what it takes. */
export function StartJobForm({ stages }: { stages: readonly string[] }) {
  const hydrated = useHydrated();
  const session = useSession();
  const router = useRouter();
  const [stage, setStage] = useState(stages[0] ?? "");
  const [params, setParams] = useState("{}");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!hydrated || stages.length === 0) return null;
  if (session?.role !== "ADMIN") {
    return (
      <p className={styles.hint} data-testid="start-job-hint">
        {session ? <>Your key ({session.name}) is not an admin&apos;s: </> : <><Link href="/signin">Sign in</Link> with an admin&apos;s key: </>}
        admins start, cancel and re-run jobs here.
      </p>
    );
  }

  async function start(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setBusy(true);
    const result = await runMutation(StartJob, { stage, params: params.trim() || "{}" });
    setBusy(false);
    if (!result.ok) return setError(result.message);
    router.push(`/jobs/${result.data.startJob.id}`);
  }

  return (
    <form className={styles.start} onSubmit={(event) => void start(event)} aria-label="Start a job">
      <label>
        Stage{" "}
        <select value={stage} onChange={(event) => setStage(event.target.value)}>
          {stages.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.params}>
        Parameters (JSON, the options of <code>curator {stage}</code>)
        <input value={params} onChange={(event) => setParams(event.target.value)} placeholder={EXAMPLES[stage] ?? "{}"} spellCheck={false} />
      </label>
      <button type="submit" className={`${buttons.button} ${styles.action}`} disabled={busy}>
        Start {stage}
      </button>
      <span className={styles.hint}>A worker (<code>npx curator worker</code>, PostgreSQL) takes queued jobs; until then a job waits and can be cancelled.</span>
      {error && (
        <span role="alert" className={styles.error}>
          {error}
        </span>
      )}
    </form>
  );
}
