"use client";

import { useState, type FormEvent } from "react";
import styles from "./Playlists.module.css";

/** The playlist's name as a heading; editors click it (or its Rename button) to edit, Enter saves, Escape cancels. */
export function PlaylistName({ name, editable, onRename }: { name: string; editable: boolean; onRename(name: string): void }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name);

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    setEditing(false);
    if (value.trim() && value.trim() !== name) onRename(value.trim());
  }

  if (editing) {
    return (
      <form onSubmit={onSubmit} className={styles.rename}>
        <input
          aria-label="Playlist name"
          autoFocus
          value={value}
          onChange={(event) => setValue(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape") {
              setValue(name);
              setEditing(false);
            }
          }}
        />
        <button type="submit">Save</button>
      </form>
    );
  }
  return (
    <h2 className={styles.name}>
      {name}
      {editable && (
        <button
          type="button"
          className={styles.small}
          onClick={() => {
            setValue(name);
            setEditing(true);
          }}
        >
          Rename
        </button>
      )}
    </h2>
  );
}
