import Link from "next/link";
import { Badge } from "@/components/Badge";
import table from "@/components/table.module.css";
import { formatDuration } from "@/lib/format";
import type { CatalogTrack } from "./queries";
import styles from "./Catalog.module.css";

export function TrackRow({ track }: { track: CatalogTrack }) {
  return (
    <tr className={styles.row}>
      <td>
        <span className={styles.title}>
          <Link href={`/tracks/${track.id}`}>{track.title}</Link>
        </span>
        {track.isShort && (
          <Badge tone="warning" title="Shorter than 45 s: intro, outro or interlude candidate">
            short
          </Badge>
        )}
        {track.isCold && (
          <Badge tone="info" title="No training listens: only the content model can place it">
            cold
          </Badge>
        )}
        {track.flagged && (
          <Badge tone="danger" title="Has an open or confirmed outlier flag">
            flagged
          </Badge>
        )}
      </td>
      <td>{track.artist.name}</td>
      <td className={track.album ? undefined : styles.missing}>{track.album?.title ?? "—"}</td>
      <td className={table.numeric}>{formatDuration(track.durationSec)}</td>
    </tr>
  );
}
