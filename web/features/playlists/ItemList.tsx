"use client";

import Link from "next/link";
import { useRef, useState, type KeyboardEvent } from "react";
import { formatDuration } from "@/lib/format";
import type { PlaylistItem } from "./queries";
import styles from "./Playlists.module.css";

interface Props {
  items: readonly PlaylistItem[];
  editable: boolean;
  onMove(itemId: number, toPosition: number): void;
  onRemove(itemId: number): void;
}

/**
 * The entries in order, each with its album and album position so repeated titles can be told apart. Editors
 * reorder with the ↑/↓ buttons, by dragging a row, or with the keyboard: focus a row, Alt+↑/↓ moves it (focus
 * follows), Delete removes it. An entry whose file a library rescan found gone is greyed and says "file missing".
 */
export function ItemList({ items, editable, onMove, onRemove }: Props) {
  const [dragged, setDragged] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const list = useRef<HTMLOListElement>(null);

  function focusItem(itemId: number): void {
    // After React renders the new order.
    requestAnimationFrame(() => list.current?.querySelector<HTMLElement>(`[data-item-id="${itemId}"]`)?.focus());
  }

  function onKeyDown(event: KeyboardEvent<HTMLLIElement>, item: PlaylistItem): void {
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      const to = item.position + (event.key === "ArrowUp" ? -1 : 1);
      if (to < 1 || to > items.length) return;
      onMove(item.id, to);
      focusItem(item.id);
    } else if (event.key === "Delete") {
      event.preventDefault();
      onRemove(item.id);
    }
  }

  if (items.length === 0) return <p className={styles.empty}>No tracks yet: lasso some on the map and create a playlist from them.</p>;
  return (
    <ol ref={list} className={styles.items} aria-label="Playlist tracks">
      {items.map((item) => (
        <li
          key={item.id}
          data-item-id={item.id}
          tabIndex={editable ? 0 : undefined}
          draggable={editable}
          aria-label={editable ? `${item.position}. ${item.track.title}: Alt+Arrow keys move, Delete removes` : undefined}
          className={`${styles.item} ${item.missing ? styles.missing : ""} ${over === item.id && dragged !== item.id ? styles.dropTarget : ""}`}
          onKeyDown={editable ? (event) => onKeyDown(event, item) : undefined}
          onDragStart={(event) => {
            setDragged(item.id);
            event.dataTransfer.effectAllowed = "move";
            event.dataTransfer.setData("text/plain", String(item.id));
          }}
          onDragOver={(event) => {
            if (dragged === null) return;
            event.preventDefault();
            setOver(item.id);
          }}
          onDragEnd={() => {
            setDragged(null);
            setOver(null);
          }}
          onDrop={(event) => {
            event.preventDefault();
            if (dragged !== null && dragged !== item.id) onMove(dragged, item.position);
            setDragged(null);
            setOver(null);
          }}
        >
          {editable && <span className={styles.handle} aria-hidden="true">⋮⋮</span>}
          <span className={styles.position}>{item.position}</span>
          <span className={styles.itemText}>
            <Link href={`/tracks/${item.track.id}`} draggable={false}>
              {item.track.title}
            </Link>
            <span className={styles.muted}>
              {" "}
              · {item.track.artist.name}
              {item.track.album && ` · ${item.track.album.title}${item.track.position !== null ? ` #${item.track.position}` : ""}`}
            </span>
            {item.missing && (
              <span className={styles.missingNote} title="A library rescan found this track's file gone: it is not played and is left out of the exports.">
                {" "}
                · file missing
              </span>
            )}
          </span>
          <span className={styles.duration}>{formatDuration(item.track.durationSec)}</span>
          {editable && (
            <span className={styles.moves}>
              <button type="button" className={styles.move} disabled={item.position === 1} onClick={() => onMove(item.id, item.position - 1)} aria-label={`Move ${item.track.title} up`} tabIndex={-1}>
                ↑
              </button>
              <button type="button" className={styles.move} disabled={item.position === items.length} onClick={() => onMove(item.id, item.position + 1)} aria-label={`Move ${item.track.title} down`} tabIndex={-1}>
                ↓
              </button>
              <button type="button" className={styles.remove} onClick={() => onRemove(item.id)} aria-label={`Remove ${item.track.title}`} tabIndex={-1}>
                ×
              </button>
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}
