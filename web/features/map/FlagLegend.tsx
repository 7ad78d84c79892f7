import { FLAG_PALETTE } from "./encode";
import type { FlaggedIds } from "./flagged";
import type { MapPoint } from "./queries";
import styles from "./Map.module.css";

/** Says what red and grey mean, and how many flagged tracks this layout holds: cold tracks are missing from CF maps. */
export function FlagLegend({ flagged, points }: { flagged: FlaggedIds; points: readonly MapPoint[] }) {
  if (flagged.state === "error") return <p role="alert" className={styles.error}>Could not load the flags: {flagged.message}</p>;
  if (flagged.state !== "ready") return <p className={styles.legend}>Loading the flags…</p>;
  const onMap = points.filter((p) => flagged.ids.has(p.id)).length;
  return (
    <p className={styles.legend} aria-label="Legend">
      <span>
        <span className={styles.swatch} style={{ background: FLAG_PALETTE[1] }} data-swatch="flagged" /> {onMap} of {flagged.ids.size} flagged tracks on this map
      </span>
      <span>
        <span className={styles.swatch} style={{ background: FLAG_PALETTE[0] }} data-swatch="other" /> not flagged
      </span>
    </p>
  );
}
