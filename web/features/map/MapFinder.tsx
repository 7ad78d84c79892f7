"use client";

import { useState } from "react";
import { TrackPicker } from "@/features/track-search/TrackPicker";
import type { TrackOption } from "@/features/track-search/queries";
import styles from "./Map.module.css";

interface Props {
  /** Whether a track has a point on the map shown. */
  onMap(id: number): boolean;
  /** The found track is selected and zoomed to. */
  onFind(id: number): void;
  /** Whether a path start is set, so an end can be. */
  hasStart: boolean;
  onStart(id: number): void;
  onEnd(id: number): void;
  onSelect(id: number): void;
}

/**
 * The keyboard's way onto the map: find a track by name, then make it a path end or add it to the selection,
 * everything a click or a lasso does with the mouse.
 */
export function MapFinder({ onMap, onFind, hasStart, onStart, onEnd, onSelect }: Props) {
  const [found, setFound] = useState<TrackOption | null>(null);
  const placed = found !== null && onMap(found.id);

  function pick(track: TrackOption | null): void {
    setFound(track);
    if (track && onMap(track.id)) onFind(track.id);
  }

  return (
    <section aria-label="Find on the map" className={styles.panel}>
      <TrackPicker label="Find a track" value={found} onChange={pick} />
      {found && !placed && <p className={styles.hint}>{found.title} has no point on this map.</p>}
      {placed && (
        <div className={styles.row} role="group" aria-label={`Use ${found.title}`}>
          <button type="button" className={styles.small} onClick={() => onStart(found.id)}>
            Start path here
          </button>
          <button type="button" className={styles.small} disabled={!hasStart} onClick={() => onEnd(found.id)}>
            End path here
          </button>
          <button type="button" className={styles.small} onClick={() => onSelect(found.id)}>
            Add to selection
          </button>
        </div>
      )}
    </section>
  );
}
