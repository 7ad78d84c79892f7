"use client";

import Link from "next/link";
import { Badge } from "@/components/Badge";
import { FlagItem } from "@/features/flags/FlagItem";
import { AddToPlaylist } from "@/features/playlists/AddToPlaylist";
import type { Flag } from "@/features/flags/queries";
import { isFlagged, type Recommendation } from "./queries";
import styles from "./Review.module.css";

interface Props {
  label: string;
  recommendations: readonly Recommendation[];
  hideFlagged: boolean;
  onReviewed(trackId: number, flag: Flag): void;
}

/** One ranked list: rank, title, cold badge, inline flags; flagged tracks drop out when asked. */
export function RecommendationList({ label, recommendations, hideFlagged, onReviewed }: Props) {
  const shown = hideFlagged ? recommendations.filter((rec) => !isFlagged(rec)) : recommendations;
  const hidden = recommendations.length - shown.length;
  return (
    <section aria-label={label} className={styles.column}>
      <h2>
        {label} <span className={styles.count}>{shown.length}{hidden > 0 ? ` · ${hidden} flagged hidden` : ""}</span>
      </h2>
      {shown.length === 0 ? (
        <p className={styles.empty}>Nothing to recommend here.</p>
      ) : (
        <ol className={styles.list}>
          {shown.map((rec) => (
            <li key={rec.track.id} data-track-id={rec.track.id}>
              <div className={styles.line}>
                <Link href={`/tracks/${rec.track.id}`}>{rec.track.title}</Link>
                <span className={styles.muted}>· {rec.track.artist.name}</span>
                {rec.cold && (
                  <Badge tone="info" title="No listening data: scored through the factors predicted from its audio">
                    cold
                  </Badge>
                )}
                <span className={styles.score}>{rec.score.toFixed(2)}</span>
                <AddToPlaylist trackId={rec.track.id} title={rec.track.title} />
              </div>
              {rec.track.outlierFlags.length > 0 && (
                <div className={styles.flags}>
                  {rec.track.outlierFlags.map((flag) => (
                    <FlagItem key={flag.id} initial={flag} onReviewed={(next) => onReviewed(rec.track.id, next)} />
                  ))}
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
