import type { MetricGroup } from "./metrics";
import styles from "./Evaluations.module.css";

/** Horizontal bars on a common zero: models compared by length, the best one marked. */
export function MetricChart({ group }: { group: MetricGroup }) {
  const max = Math.max(...group.bars.map((b) => Math.abs(b.value)), Number.EPSILON);
  const best = Math.max(...group.bars.map((b) => b.value));
  return (
    <figure className={styles.chart}>
      <figcaption>{group.metric}</figcaption>
      <table className={styles.bars}>
        <tbody>
          {group.bars.map((bar) => (
            <tr key={bar.model} className={bar.value === best ? styles.best : undefined}>
              <th scope="row">{bar.model}</th>
              <td>
                <span className={styles.bar} style={{ width: `${(100 * Math.abs(bar.value)) / max}%` }} />
              </td>
              <td className={styles.value}>{bar.value.toFixed(Math.abs(bar.value) >= 100 ? 0 : 3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
