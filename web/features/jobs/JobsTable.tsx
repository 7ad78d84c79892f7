"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { ErrorBanner } from "@/components/ErrorBanner";
import table from "@/components/table.module.css";
import { runQuery } from "@/lib/graphql";
import { JobRow } from "./JobRow";
import { LossChart } from "./LossChart";
import { JOB_LIMIT, JobsQuery, isActive, type Job } from "./queries";
import { lossPoints } from "./series";
import styles from "./Jobs.module.css";

/** Loss curves of the newest training jobs only: older runs are history, not something to watch. */
const CURVES = 2;

const POLL_MS = 2000;

/** The job list, refreshed every 2 s while any job is queued or running and left alone once all have ended. */
export function JobsTable({ initial }: { initial: Job[] }) {
  const [jobs, setJobs] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const watching = jobs.some(isActive);
  const curves = useMemo(
    () => jobs.map((job) => ({ job, points: lossPoints(job.series) })).filter(({ points }) => points.length > 0).slice(0, CURVES),
    [jobs],
  );

  useEffect(() => {
    if (!watching) return;
    let unmounted = false;
    const timer = setInterval(async () => {
      // A slow API must not pile up requests.
      if (inFlight.current) return;
      inFlight.current = true;
      const result = await runQuery(JobsQuery, { first: JOB_LIMIT });
      inFlight.current = false;
      if (unmounted) return;
      if (result.ok) {
        setJobs(result.data.jobs);
        setError(null);
      } else {
        setError(result.message);
      }
    }, POLL_MS);
    return () => {
      unmounted = true;
      clearInterval(timer);
    };
  }, [watching]);

  if (jobs.length === 0) return <p className={table.empty}>No jobs yet: pipeline stages appear here when they run.</p>;
  return (
    <>
      {error && <ErrorBanner title="Refreshing failed; retrying." message={error} />}
      <table className={`${table.table} ${styles.jobTable}`}>
        <caption>
          {jobs.length} most recent jobs{watching ? " · refreshing every 2 s" : ""}
        </caption>
        <thead>
          <tr>
            <th scope="col" className={table.numeric}>#</th>
            <th scope="col">Stage</th>
            <th scope="col">Status</th>
            <th scope="col">Progress</th>
            <th scope="col">Message / error</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <JobRow key={job.id} job={job} />
          ))}
        </tbody>
      </table>
      {curves.map(({ job, points }) => (
        <LossChart key={job.id} title={`Job #${job.id} (${job.stage}): loss per epoch`} points={points} />
      ))}
    </>
  );
}
