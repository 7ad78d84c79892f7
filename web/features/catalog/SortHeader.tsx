import type { OrderField, TrackOrder } from "./queries";
import styles from "./Catalog.module.css";

interface Props {
  label: string;
  field: OrderField;
  order: TrackOrder | null;
  onSort: (field: OrderField) => void;
  numeric?: boolean;
}

/** A column header whose button sorts by it; aria-sort tells screen readers the current order. */
export function SortHeader({ label, field, order, onSort, numeric = false }: Props) {
  const active = order?.field === field;
  const descending = active && order.direction === "DESC";
  return (
    <th scope="col" aria-sort={active ? (descending ? "descending" : "ascending") : "none"} className={numeric ? styles.numericHeader : undefined}>
      <button type="button" className={styles.sortButton} onClick={() => onSort(field)}>
        {label}
        <span aria-hidden="true" className={styles.sortMark}>
          {active ? (descending ? "▼" : "▲") : "↕"}
        </span>
      </button>
    </th>
  );
}
