import type { TrackFilter } from "./queries";
import styles from "./Catalog.module.css";

/** The form's state: durations stay text while typed, so a half-typed number is not a filter yet. */
export interface FilterForm {
  cold: boolean;
  flagged: boolean;
  minSec: string;
  maxSec: string;
}

export const NO_FILTERS: FilterForm = { cold: false, flagged: false, minSec: "", maxSec: "" };

/** The API filter for the form and search text, or an error message when the duration range is inverted. */
export function toFilter(text: string, form: FilterForm): TrackFilter | string {
  const min = seconds(form.minSec);
  const max = seconds(form.maxSec);
  if (min !== undefined && max !== undefined && min > max) return "The minimum duration is above the maximum.";
  return {
    ...(text ? { text } : {}),
    ...(form.cold ? { cold: true } : {}),
    ...(form.flagged ? { flagged: true } : {}),
    ...(min !== undefined ? { minDurationSec: min } : {}),
    ...(max !== undefined ? { maxDurationSec: max } : {}),
  };
}

function seconds(text: string): number | undefined {
  const value = Number(text);
  return text.trim() === "" || !Number.isFinite(value) || value < 0 ? undefined : value;
}

export function CatalogFilters({ form, onChange, error }: { form: FilterForm; onChange: (form: FilterForm) => void; error: string | null }) {
  return (
    <fieldset className={styles.filters}>
      <legend className={styles.searchLabel}>Show</legend>
      <label>
        <input type="checkbox" checked={form.cold} onChange={(e) => onChange({ ...form, cold: e.target.checked })} /> Cold only
      </label>
      <label>
        <input type="checkbox" checked={form.flagged} onChange={(e) => onChange({ ...form, flagged: e.target.checked })} /> Flagged only
      </label>
      <label>
        Min s <input type="number" min={0} inputMode="numeric" value={form.minSec} onChange={(e) => onChange({ ...form, minSec: e.target.value })} />
      </label>
      <label>
        Max s <input type="number" min={0} inputMode="numeric" value={form.maxSec} onChange={(e) => onChange({ ...form, maxSec: e.target.value })} />
      </label>
      <span role="status" className={styles.filterError}>
        {error ?? ""}
      </span>
    </fieldset>
  );
}
