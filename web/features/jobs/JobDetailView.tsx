"use client";

import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { ErrorBanner } from "@/components/ErrorBanner";
import { formatTimestamp } from "@/lib/format";
import { runQuery } from "@/lib/graphql";
import { useHydrated } from "@/lib/use-session";
import { BadItemsList } from "./BadItems";
import { JobActions } from "./JobActions";
import { LossChart } from "./LossChart";
import { ProgressBar } from "./ProgressBar";
import { JobQuery, isActive, type JobDetail } from "./queries";
import { lossPoints } from "./series";
import { StatusBadge } from "./StatusBadge";
import { formatElapsed, jobDuration } from "./timing";
import styles from "./Jobs.module.css";

const POLL_MS = 2000;

/** One job: why it ended, its parameters, timing, progress, events, skipped items and curve; refreshed while active. */
export function JobDetailView({ initial, queuedStages }: { initial: JobDetail; queuedStages: readonly string[] }) {
  const [job, setJob] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const hydrated = useHydrated();
  const active = isActive(job);
  const points = useMemo(() => lossPoints(job.series), [job.series]);

  useEffect(() => {
    if (!active) return;
    let unmounted = false;
    const timer = setInterval(async () => {
      if (inFlight.current) return;
      inFlight.current = true;
      const result = await runQuery(JobQuery, { id: job.id });
      inFlight.current = false;
      if (unmounted) return;
      if (result.ok && result.data.job) setJob(result.data.job);
      setError(result.ok ? null : result.message);
    }, POLL_MS);
    return () => {
      unmounted = true;
      clearInterval(timer);
    };
  }, [active, job.id]);

  // A running job's time so far only after hydration: the server's clock and the browser's differ.
  const duration = jobDuration(job, hydrated ? Date.now() : null);
  return (
    <>
      <p className={styles.back}>
        <Link href="/jobs">← All jobs</Link>
      </p>
      <h1 className={styles.title}>
        Job #{job.id}: {job.stage} <StatusBadge status={job.status} />
      </h1>
      {error && <ErrorBanner title="Refreshing failed; retrying." message={error} />}
      {(job.message || job.error) && (
        <p className={styles.outcome} data-testid="job-outcome">
          {job.error && <span className={styles.error}>{job.error}</span>}
          {job.error && job.message && <br />}
          {job.message}
        </p>
      )}
      <JobActions job={job} queuedStages={queuedStages} onChange={(changed) => setJob((j) => ({ ...j, ...changed }))} />
      <dl className={styles.facts}>
        <dt>Progress</dt>
        <dd>
          <ProgressBar done={job.done} failed={job.failed} total={job.total} />
        </dd>
        <dt>Queued</dt>
        <dd>{formatTimestamp(job.createdAt)}</dd>
        <dt>Started</dt>
        <dd>{job.startedAt ? formatTimestamp(job.startedAt) : "not yet"}</dd>
        <dt>Finished</dt>
        <dd>{job.finishedAt ? formatTimestamp(job.finishedAt) : job.status === "RUNNING" ? "still running" : "—"}</dd>
        <dt>Duration</dt>
        <dd>{duration === null ? "—" : `${formatElapsed(duration)}${job.finishedAt ? "" : " so far"}`}</dd>
      </dl>
      <h2 className={styles.section}>Parameters</h2>
      <Params json={job.params} />
      <h2 className={styles.section}>Events</h2>
      <ol className={styles.events} aria-label="Events">
        {events(job, points.length).map(([at, text], i) => (
          <li key={i}>
            <span className={styles.created}>{at ? formatTimestamp(at) : ""}</span> {text}
          </li>
        ))}
      </ol>
      {points.length > 0 && <LossChart title={`Loss per epoch (${points.length} epochs)`} points={points} />}
      {job.failed > 0 && (
        <>
          <h2 className={styles.section}>Skipped items ({job.failed})</h2>
          <BadItemsList jobId={job.id} count={job.failed} />
        </>
      )}
    </>
  );
}

/** The record's own milestones: the log lines themselves go to the process's output (pino), not the database. */
function events(job: JobDetail, epochs: number): [string | null, string][] {
  // The CLI writes its row as it starts (startedAt a moment before createdAt); the API's rows wait for a worker.
  const fromCli = job.startedAt !== null && job.startedAt <= job.createdAt;
  const out: [string | null, string][] = fromCli ? [[job.startedAt, "started from the command line"]] : [[job.createdAt, "queued"]];
  if (job.startedAt && !fromCli) out.push([job.startedAt, "a worker started it"]);
  if (job.status === "QUEUED") out.push([null, "waiting for a worker (npx curator worker, on PostgreSQL)"]);
  if (epochs > 0) out.push([null, `${epochs} epochs recorded`]);
  if (job.failed > 0) out.push([null, `${job.failed} ${job.failed === 1 ? "item" : "items"} skipped, each with its reason (below)`]);
  if (job.finishedAt) out.push([job.finishedAt, `ended ${job.status.toLowerCase()} at ${job.done}/${job.total}`]);
  else if (job.status === "CANCELLED") out.push([null, "cancel requested: the stage stops after its current item"]);
  return out;
}

function Params({ json }: { json: string }) {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return <pre className={styles.paramsRaw}>{json}</pre>;
  }
  const entries = Object.entries(parsed);
  if (entries.length === 0) return <p>The stage&apos;s defaults (no options given).</p>;
  return (
    <table className={styles.paramTable} aria-label="Parameters">
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key}>
            <th scope="row">{key}</th>
            <td>
              <code>{typeof value === "string" ? value : JSON.stringify(value)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
