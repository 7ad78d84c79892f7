import styles from "./Jobs.module.css";

/**
 * done/total, the failed share drawn red inside the done share (a stage counts a skipped item as processed).
 * A job that has not counted its work yet has no bar.
 */
export function ProgressBar({ done, failed, total }: { done: number; failed: number; total: number }) {
  if (total <= 0) return <span className={styles.noTotal}>{done > 0 ? `${done} done` : "—"}</span>;
  const share = (n: number) => `${Math.min(100, (100 * n) / total)}%`;
  return (
    <div className={styles.progress}>
      <div
        className={styles.bar}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-label={`${done} of ${total} done, ${failed} failed`}
      >
        <div className={styles.done} style={{ width: share(Math.max(0, done - failed)) }} />
        <div className={styles.failed} style={{ width: share(failed) }} />
      </div>
      <span className={styles.count}>
        {done}/{total}
        {failed > 0 && <span className={styles.failedCount}> · {failed} failed</span>}
      </span>
    </div>
  );
}
