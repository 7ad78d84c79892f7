import Link from "next/link";
import { AddToPlaylist } from "@/features/playlists/AddToPlaylist";
import type { QueryResult } from "@/lib/graphql";
import type { Neighbour } from "./queries";
import styles from "./Track.module.css";
import { WhySimilar } from "./WhySimilar";

interface Props {
  /** The track whose neighbours these are. */
  trackId: number;
  label: string;
  hint: string;
  result: QueryResult<{ track: { similar: Neighbour[] } | null }>;
}

/** A space's nearest tracks with their cosine drawn as a bar and why each is close, the query track itself (always first) left out. */
export function SimilarColumn({ trackId, label, hint, result }: Props) {
  const neighbours = result.ok ? (result.data.track?.similar.slice(1) ?? []) : [];
  return (
    <section className={styles.column} aria-label={`Similar by ${label}`}>
      <h3 title={hint}>{label}</h3>
      {!result.ok ? (
        <p className={styles.unavailable}>{result.message}</p>
      ) : neighbours.length === 0 ? (
        <p className={styles.unavailable}>No neighbours in this space.</p>
      ) : (
        <ol className={styles.neighbours}>
          {neighbours.map(({ score, track }) => (
            <li key={track.id}>
              <span className={styles.score} style={{ width: `${Math.max(0, score) * 100}%` }} aria-hidden="true" />
              <Link href={`/tracks/${track.id}`}>{track.title}</Link>
              <span className={styles.by}>
                {" "}
                · {track.artist.name}
                {track.album && ` · ${track.album.title}${track.position !== null ? ` #${track.position}` : ""}`}
              </span>
              <span className={styles.scoreText}>{score.toFixed(2)}</span>
              <WhySimilar from={trackId} to={track.id} />
              <AddToPlaylist trackId={track.id} title={track.title} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
