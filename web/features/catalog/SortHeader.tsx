import type { Sort, SortKey } from "./sort";
import styles from "./Catalog.module.css";

interface Props {
  label: string;
  column: SortKey;
  sort: Sort | null;
  onSort: (column: SortKey) => void;
  numeric?: boolean;
}

/** A column header whose button sorts by it; aria-sort tells screen readers the current order. */
export function SortHeader({ label, column, sort, onSort, numeric = false }: Props) {
  const active = sort?.key === column;
  const direction = active ? (sort.descending ? "descending" : "ascending") : "none";
  return (
    <th scope="col" aria-sort={direction} className={numeric ? styles.numericHeader : undefined}>
      <button type="button" className={styles.sortButton} onClick={() => onSort(column)}>
        {label}
        <span aria-hidden="true" className={styles.sortMark}>
          {active ? (sort.descending ? "▼" : "▲") : "↕"}
        </span>
      </button>
    </th>
  );
}
