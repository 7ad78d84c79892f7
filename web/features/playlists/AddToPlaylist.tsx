"use client";

import Link from "next/link";
import { useState } from "react";
import { runMutation, runQuery } from "@/lib/graphql";
import { useCanEdit } from "@/lib/use-session";
import { AddTracks, CreateEmptyPlaylist, PlaylistTrackIds, PlaylistsQuery, type PlaylistSummary } from "./queries";
import styles from "./AddToPlaylist.module.css";

/** Empty value of the playlist picker: the option that reveals the new playlist's name field. */
const NEW = "";

/**
 * "Add to playlist" for one track, wherever tracks are listed. Editors only: analysts' keys are refused on
 * mutations. Playlists are fetched when the picker opens, not with the page, so a long list costs nothing unasked.
 */
export function AddToPlaylist({ trackId, title }: { trackId: number; title: string }) {
  const canEdit = useCanEdit();
  const [playlists, setPlaylists] = useState<PlaylistSummary[] | null>(null);
  const [choice, setChoice] = useState(NEW);
  const [name, setName] = useState("");
  const [added, setAdded] = useState<{ id: number; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Set when the chosen playlist already holds the track: adding again needs a second, explicit click. */
  const [duplicate, setDuplicate] = useState<string | null>(null);
  if (!canEdit) return null;

  async function open(): Promise<void> {
    const result = await runQuery(PlaylistsQuery, {});
    if (!result.ok) return setError(result.message);
    const nodes = result.data.playlists.edges.map((e) => e.node);
    setPlaylists(nodes);
    setChoice(nodes[0] ? String(nodes[0].id) : NEW);
    setAdded(null);
    setError(null);
    setDuplicate(null);
  }

  async function add(again = false): Promise<void> {
    let playlistId = Number(choice);
    if (choice !== NEW && !again) {
      const existing = await runQuery(PlaylistTrackIds, { id: playlistId });
      if (!existing.ok) return setError(existing.message);
      const times = existing.data.playlist?.items.filter((item) => item.track.id === trackId).length ?? 0;
      if (times > 0) return setDuplicate(`“${title}” is already in ${existing.data.playlist!.name}${times > 1 ? ` (${times} times)` : ""}.`);
    }
    setDuplicate(null);
    if (choice === NEW) {
      const created = await runMutation(CreateEmptyPlaylist, { name: name.trim() });
      if (!created.ok) return setError(created.message);
      playlistId = created.data.createPlaylist.id;
    }
    const result = await runMutation(AddTracks, { playlistId, trackIds: [trackId] });
    if (!result.ok) return setError(result.message);
    setAdded(result.data.addToPlaylist);
    setPlaylists(null);
    setName("");
    setError(null);
  }

  return (
    <span className={styles.root}>
      {playlists === null ? (
        <button type="button" className={styles.button} aria-label={`Add ${title} to a playlist`} onClick={open}>
          + playlist
        </button>
      ) : (
        <span role="group" aria-label={`Add ${title} to a playlist`} className={styles.picker}>
          <select
            aria-label="Playlist"
            value={choice}
            onChange={(event) => {
              setChoice(event.target.value);
              setDuplicate(null);
            }}
          >
            {playlists.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.itemCount})
              </option>
            ))}
            <option value={NEW}>New playlist…</option>
          </select>
          {choice === NEW && (
            <input aria-label="New playlist name" placeholder="name" value={name} onChange={(event) => setName(event.target.value)} />
          )}
          {duplicate ? (
            <span role="alert" className={styles.warning}>
              {duplicate}{" "}
              <button type="button" className={styles.button} onClick={() => void add(true)}>
                Add again
              </button>
            </span>
          ) : (
            <button type="button" className={styles.button} disabled={choice === NEW && !name.trim()} onClick={() => void add()}>
              Add
            </button>
          )}
          <button type="button" className={styles.button} onClick={() => setPlaylists(null)}>
            Cancel
          </button>
        </span>
      )}
      {added && (
        <span role="status" className={styles.muted}>
          added to <Link href={`/playlists?id=${added.id}`}>{added.name}</Link>
        </span>
      )}
      {error && <span role="alert" className={styles.error}>{error}</span>}
    </span>
  );
}
