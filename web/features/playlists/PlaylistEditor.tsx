"use client";

import { useEffect, useState } from "react";
import { SignInToEdit } from "@/features/session/SignInToEdit";
import { ErrorBanner } from "@/components/ErrorBanner";
import { runMutation, runQuery, type QueryResult } from "@/lib/graphql";
import { useCanEdit } from "@/lib/use-session";
import { ExportButtons } from "./ExportButtons";
import { ItemList } from "./ItemList";
import { PlaylistName } from "./PlaylistName";
import { formatDuration } from "@/lib/format";
import { PlayAll } from "./PlayAll";
import { AddTracks, DeletePlaylist, MoveItem, PlaylistQuery, RemoveItem, RenamePlaylist, moveLocally, type PlaylistDetail } from "./queries";
import styles from "./Playlists.module.css";

interface Props {
  id: number;
  /** Tells the list beside it that the name, size or existence changed. */
  onChanged(playlist: PlaylistDetail | null): void;
}

/** A removed entry, kept until the next change so it can be put back where it was. */
interface Removed {
  trackId: number;
  title: string;
  position: number;
}

/** One playlist: its entries, reordering and removal (with undo) for editors, play-all and export for everyone. */
export function PlaylistEditor({ id, onChanged }: Props) {
  const [playlist, setPlaylist] = useState<PlaylistDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removed, setRemoved] = useState<Removed | null>(null);
  const canEdit = useCanEdit();

  useEffect(() => {
    let current = true;
    void runQuery(PlaylistQuery, { id }).then((result) => {
      if (!current) return;
      setPlaylist(result.ok ? result.data.playlist : null);
      setError(result.ok ? (result.data.playlist ? null : `Playlist ${id} does not exist.`) : result.message);
    });
    return () => {
      current = false;
    };
  }, [id]);

  /** Applies a mutation's answer; on failure the server's copy is fetched again so the view never lies. */
  async function apply(result: QueryResult<PlaylistDetail>): Promise<void> {
    if (result.ok) {
      setPlaylist(result.data);
      onChanged(result.data);
      setError(null);
      return;
    }
    setError(result.message);
    const fresh = await runQuery(PlaylistQuery, { id });
    if (fresh.ok) setPlaylist(fresh.data.playlist);
  }

  const unwrap = <K extends string>(key: K) => (result: QueryResult<Record<K, PlaylistDetail>>): QueryResult<PlaylistDetail> =>
    result.ok ? { ok: true, data: result.data[key] } : result;

  async function move(itemId: number, toPosition: number): Promise<void> {
    setPlaylist((p) => p && { ...p, items: moveLocally(p.items, itemId, toPosition) });
    await apply(unwrap("movePlaylistItem")(await runMutation(MoveItem, { itemId, toPosition })));
  }

  async function remove(itemId: number): Promise<void> {
    const item = playlist?.items.find((i) => i.id === itemId);
    const result = await runMutation(RemoveItem, { itemId });
    await apply(unwrap("removeFromPlaylist")(result));
    setRemoved(result.ok && item ? { trackId: item.track.id, title: item.track.title, position: item.position } : null);
  }

  /** Adds the track again (the API appends) and moves the new entry back to where the removed one was. */
  async function undoRemove(): Promise<void> {
    if (!removed) return;
    setRemoved(null);
    const added = await runMutation(AddTracks, { playlistId: id, trackIds: [removed.trackId] });
    if (!added.ok) return setError(added.message);
    const fresh = await runQuery(PlaylistQuery, { id });
    const entry = fresh.ok ? fresh.data.playlist?.items.findLast((i) => i.track.id === removed.trackId) : undefined;
    if (!entry) return setError(fresh.ok ? "The track was added back but could not be found to move." : fresh.message);
    await apply(unwrap("movePlaylistItem")(await runMutation(MoveItem, { itemId: entry.id, toPosition: removed.position })));
  }

  async function rename(name: string): Promise<void> {
    await apply(unwrap("renamePlaylist")(await runMutation(RenamePlaylist, { id, name })));
  }

  async function destroy(): Promise<void> {
    if (!playlist || !window.confirm(`Delete “${playlist.name}”?`)) return;
    const result = await runMutation(DeletePlaylist, { id });
    if (result.ok) onChanged(null);
    else setError(result.message);
  }

  if (!playlist) return error ? <ErrorBanner title="Could not load the playlist." message={error} /> : <p className={styles.muted}>Loading…</p>;
  const runtime = playlist.items.reduce((sum, item) => sum + item.track.durationSec, 0);
  return (
    <section aria-label="Playlist" className={styles.editor}>
      <PlaylistName key={playlist.name} name={playlist.name} editable={canEdit} onRename={rename} />
      <p className={styles.toolbar}>
        <span className={styles.muted}>
          {playlist.itemCount} tracks
          {playlist.items.some((item) => item.missing) && ` (${playlist.items.filter((item) => item.missing).length} with the file missing, left out of exports)`} ·{" "}
          <span aria-label="Total runtime">{formatRuntime(runtime)}</span> · {playlist.source}
        </span>
        <ExportButtons id={playlist.id} />
        {canEdit && (
          <button type="button" className={styles.danger} onClick={destroy}>
            Delete playlist
          </button>
        )}
      </p>
      {error && <ErrorBanner title="The change failed." message={error} />}
      {removed && (
        <p role="status" className={styles.undo}>
          Removed “{removed.title}” from position {removed.position}.
          <button type="button" className={styles.move} onClick={undoRemove}>
            Undo
          </button>
        </p>
      )}
      <SignInToEdit what="renaming, reordering and removing tracks" />
      <PlayAll items={playlist.items} />
      <ItemList items={playlist.items} editable={canEdit} onMove={move} onRemove={remove} />
    </section>
  );
}

/** A playlist's length: m:ss under an hour, then h:mm:ss. */
function formatRuntime(seconds: number): string {
  if (seconds < 3600) return formatDuration(seconds);
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 3600)}:${formatDuration(whole % 3600).padStart(5, "0")}`;
}
