"use client";

import Link from "next/link";
import { useEffect, useState, type FormEvent } from "react";
import { SignInToEdit } from "@/features/session/SignInToEdit";
import { runMutation } from "@/lib/graphql";
import { useCanEdit } from "@/lib/use-session";
import { CreatedNotice } from "@/features/playlists/CreatedNotice";
import { GenerateFromTracks, type PlaylistSummary } from "@/features/playlists/queries";
import { fetchLabels, type TrackLabel } from "./titles";
import styles from "./Map.module.css";

/** Titles are listed for the first tracks only; the playlist takes the whole selection. */
const LISTED = 100;
/** The most tracks a playlist holds (the API's MAX_PLAYLIST_LENGTH): a larger selection is refused, not cut. */
const MAX_PLAYLIST = 2000;

/** The selected tracks, listed with titles, and for editors a button that turns them into a playlist. */
export function SelectionPanel({ ids, onClear }: { ids: readonly number[]; onClear(): void }) {
  const [labels, setLabels] = useState<Map<number, TrackLabel>>(new Map());
  const [name, setName] = useState("");
  const [created, setCreated] = useState<PlaylistSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canEdit = useCanEdit();

  useEffect(() => {
    let current = true;
    setCreated(null);
    fetchLabels(ids.slice(0, LISTED)).then(
      (found) => current && setLabels(found),
      (err: Error) => current && setError(err.message),
    );
    return () => {
      current = false;
    };
  }, [ids]);

  if (ids.length === 0) return null;
  const tooMany = ids.length > MAX_PLAYLIST;

  async function create(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (tooMany) return;
    const result = await runMutation(GenerateFromTracks, { name: name.trim() || `Map selection (${ids.length})`, trackIds: [...ids] });
    setError(result.ok ? null : result.message);
    if (result.ok) setCreated(result.data.generatePlaylist);
  }

  return (
    <section aria-label="Selection" className={styles.panel}>
      <h2>
        Selection · {ids.length}{" "}
        <button type="button" className={styles.small} onClick={onClear}>
          Clear
        </button>
      </h2>
      {canEdit && (
        <form onSubmit={create} className={styles.row}>
          <input aria-label="Playlist name" placeholder={`Map selection (${ids.length})`} value={name} onChange={(event) => setName(event.target.value)} />
          <button type="submit" disabled={tooMany}>
            Create playlist
          </button>
        </form>
      )}
      <SignInToEdit what="saving the selection as a playlist" />
      {canEdit && tooMany && (
        <p className={styles.hint}>
          A playlist holds at most {MAX_PLAYLIST.toLocaleString("en")} tracks: narrow the selection ({ids.length.toLocaleString("en")} selected).
        </p>
      )}
      {created && <CreatedNotice playlist={created} />}
      {error && <p role="alert" className={styles.error}>{error}</p>}
      <ol className={styles.list} aria-label="Selected tracks">
        {ids.slice(0, LISTED).map((id) => (
          <li key={id}>
            <Link href={`/tracks/${id}`}>{labels.get(id)?.title ?? `#${id}`}</Link>
            {labels.get(id) && <span className={styles.muted}> · {labels.get(id)!.artist}</span>}
          </li>
        ))}
      </ol>
      {ids.length > LISTED && <p className={styles.hint}>…and {ids.length - LISTED} more.</p>}
    </section>
  );
}
