"use client";

import styles from "./Filters.module.css";

/** Play/pause of one track through the page's shared preview player. */
export function PreviewButton({ title, playing, onToggle }: { title: string; playing: boolean; onToggle(): void }) {
  return (
    <button type="button" className={styles.play} aria-label={`${playing ? "Pause" : "Play"} ${title}`} aria-pressed={playing} onClick={onToggle}>
      {playing ? "❚❚" : "▶"}
    </button>
  );
}
