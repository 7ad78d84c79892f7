import Link from "next/link";
import { filterHref } from "@/features/filters/queries";
import type { TopFilter } from "./queries";
import styles from "./Track.module.css";

/** The first-layer filters this track excites most: a named filter says more about its timbre than a number. */
export function TopFilters({ activations }: { activations: TopFilter[] }) {
  if (activations.length === 0) return null;
  const top = Math.max(...activations.map((a) => a.value), Number.EPSILON);
  return (
    <section aria-label="Top first-layer filters" className={styles.topFilters}>
      <h2>Strongest first-layer filters</h2>
      <ol className={styles.neighbours}>
        {activations.map(({ value, filter }) => (
          <li key={filter.id}>
            <span className={styles.score} style={{ width: `${(100 * Math.max(0, value)) / top}%` }} aria-hidden="true" />
            <Link href={filterHref(filter)}>
              #{filter.index} {filter.name ?? "unnamed"}
            </Link>
            <span className={styles.scoreText}>{value.toFixed(2)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
