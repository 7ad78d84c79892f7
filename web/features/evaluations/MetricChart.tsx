import type { MetricGroup, ModelRole } from "./metrics";
import styles from "./Evaluations.module.css";

/** The tag a bar carries, so a baseline or a ceiling is never read as a model to ship. */
const ROLE_TAGS: Record<Exclude<ModelRole, null>, string> = {
  chance: "chance baseline",
  baseline: "baseline",
  ceiling: "ceiling, not a model",
  oracle: "metadata, not audio",
  shipped: "backs the Audio column",
};

/** Horizontal bars on a common zero: models compared by length, the best one marked, baselines and ceilings tagged. */
export function MetricChart({ group }: { group: MetricGroup }) {
  const max = Math.max(...group.bars.map((b) => Math.abs(b.value)), Number.EPSILON);
  // The best model: a ceiling or an oracle is not one.
  const best = Math.max(...group.bars.filter((b) => b.role !== "ceiling" && b.role !== "oracle").map((b) => b.value));
  return (
    <figure className={styles.chart}>
      <figcaption>{group.metric}</figcaption>
      <p className={styles.about}>{group.about}</p>
      <table className={styles.bars}>
        <tbody>
          {group.bars.map((bar) => (
            <tr key={bar.model} className={`${bar.value === best ? styles.best : ""} ${bar.role ? styles[bar.role] : ""}`} data-role={bar.role ?? undefined}>
              <th scope="row">
                {bar.model}
                {bar.role && <span className={styles.tag}>{ROLE_TAGS[bar.role]}</span>}
              </th>
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
