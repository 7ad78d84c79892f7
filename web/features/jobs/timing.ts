import type { Job } from "./queries";

/** "2 h 03 min", "4 min 09 s", "12 s": how long a job ran (or has run so far, against `now`). */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

function time(value: string | null): number | null {
  if (value === null) return null;
  const t = new Date(/^\d+$/.test(value) ? Number(value) : value).getTime();
  return Number.isNaN(t) ? null : t;
}

/**
 * The job's run time: start to finish, or start to `now` while it runs (null `now`: only a finished job's, which
 * the server and the browser render alike); null before it starts.
 */
export function jobDuration(job: Pick<Job, "startedAt" | "finishedAt">, now: number | null): number | null {
  const started = time(job.startedAt);
  const end = time(job.finishedAt) ?? now;
  return started === null || end === null ? null : end - started;
}
