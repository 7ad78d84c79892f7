import Link from "next/link";
import table from "@/components/table.module.css";
import { formatTimestamp } from "@/lib/format";
import { BadItems } from "./BadItems";
import { ProgressBar } from "./ProgressBar";
import type { Job } from "./queries";
import { StatusBadge } from "./StatusBadge";
import { formatElapsed, jobDuration } from "./timing";
import styles from "./Jobs.module.css";

export function JobRow({ job }: { job: Job }) {
  const duration = jobDuration(job, null);
  return (
    <tr>
      <td className={table.numeric}>
        <Link href={`/jobs/${job.id}`} aria-label={`Job #${job.id} (${job.stage})`}>
          {job.id}
        </Link>
      </td>
      <td>
        <Link href={`/jobs/${job.id}`}>{job.stage}</Link>
      </td>
      <td>
        <StatusBadge status={job.status} />
      </td>
      <td className={styles.wide}>
        <ProgressBar done={job.done} failed={job.failed} total={job.total} />
      </td>
      <td className={styles.detail}>
        {job.error && <span className={styles.error}>{job.error}</span>}
        {job.error && job.message && " · "}
        {job.message}
        {job.failed > 0 && <BadItems jobId={job.id} count={job.failed} />}
      </td>
      <td className={styles.created}>
        {formatTimestamp(job.createdAt)}
        {duration !== null && <div>ran {formatElapsed(duration)}</div>}
      </td>
    </tr>
  );
}
