import { formatTimestamp } from "@/lib/format";
import { MetricChart } from "./MetricChart";
import { splitMetrics } from "./metrics";
import type { EvaluationRun } from "./queries";
import styles from "./Evaluations.module.css";

function parse(metrics: string): Record<string, unknown> {
  try {
    return JSON.parse(metrics) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function EvaluationCard({ run }: { run: EvaluationRun }) {
  const { groups, figures } = splitMetrics(parse(run.metrics));
  return (
    <section className={styles.card} aria-label={`Evaluation ${run.name}`}>
      <h2>
        {run.name} <span className={styles.muted}>run #{run.id} · {formatTimestamp(run.createdAt)}</span>
      </h2>
      {figures.length > 0 && (
        <p className={styles.figures}>
          {figures.map(([key, value]) => (
            <span key={key}>
              {key} <strong>{typeof value === "number" ? +value.toPrecision(4) : value}</strong>
            </span>
          ))}
        </p>
      )}
      <div className={styles.charts}>
        {groups.map((group) => (
          <MetricChart key={group.metric} group={group} />
        ))}
      </div>
      <details>
        <summary>Table as printed</summary>
        <pre className={styles.table}>{run.tableText}</pre>
      </details>
    </section>
  );
}
