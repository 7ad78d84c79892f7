import table from "@/components/table.module.css";
import { formatTimestamp } from "@/lib/format";
import { BadItems } from "./BadItems";
import { ProgressBar } from "./ProgressBar";
import type { Job } from "./queries";
import { StatusBadge } from "./StatusBadge";
import styles from "./Jobs.module.css";

export function JobRow({ job }: { job: Job }) {
  return (
    <tr>
      <td className={table.numeric}>{job.id}</td>
      <td>{job.stage}</td>
      <td>
        <StatusBadge status={job.status} />
      </td>
      <td>
        <ProgressBar done={job.done} failed={job.failed} total={job.total} />
      </td>
      <td className={styles.detail}>
        {job.error && <span className={styles.error}>{job.error}</span>}
        {job.error && job.message && " · "}
        {job.message}
        {job.failed > 0 && <BadItems jobId={job.id} count={job.failed} />}
      </td>
      <td className={styles.created}>{formatTimestamp(job.createdAt)}</td>
    </tr>
  );
}
