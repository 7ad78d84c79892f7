import type { AudioModelKind } from "@/features/audio-model/queries";
import { formatTimestamp } from "@/lib/format";
import { MetricChart } from "./MetricChart";
import { printedModelNames, shippedModelName, splitMetrics } from "./metrics";
import type { EvaluationRun } from "./queries";
import styles from "./Evaluations.module.css";

function parse(metrics: string): Record<string, unknown> {
  try {
    return JSON.parse(metrics) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** One evaluation's newest run; `backing` is the model behind the Audio column, pointed out among the models. */
export function EvaluationCard({ run, backing }: { run: EvaluationRun; backing: AudioModelKind | null }) {
  const names = printedModelNames(run.tableText);
  const shipped = shippedModelName(names, backing);
  const { groups, figures } = splitMetrics(parse(run.metrics), names, shipped);
  const title = run.tableText.split("\n")[0] ?? "";
  return (
    <section className={styles.card} aria-label={`Evaluation ${run.name}`}>
      <h2>
        {run.name} <span className={styles.muted}>run #{run.id} · {formatTimestamp(run.createdAt)}</span>
      </h2>
      {title && !/^-|^model\b/.test(title) && <p className={styles.title}>{title}</p>}
      {shipped && (
        <p className={styles.backing}>
          The workbench&apos;s Audio column (and the audio map and playlists) comes from <strong>{shipped}</strong>.
        </p>
      )}
      {figures.length > 0 && (
        <dl className={styles.figures}>
          {figures.map(({ key, label, value }) => (
            <div key={key} title={key}>
              <dt>{label}</dt>
              <dd>{typeof value === "number" ? +value.toPrecision(4) : value}</dd>
            </div>
          ))}
        </dl>
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
