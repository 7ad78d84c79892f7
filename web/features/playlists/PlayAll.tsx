"use client";

import { useEffect, useRef, useState } from "react";
import type { PlaylistItem } from "./queries";
import styles from "./Playlists.module.css";

/**
 * Plays the playlist from the top (or from any entry's number), one track after another, with the browser's own
 * controls for pause and seek, skipping entries whose file is missing. The list can change while it plays: the entry
 * playing is followed by its id.
 */
export function PlayAll({ items: all }: { items: readonly PlaylistItem[] }) {
  // Entries whose file is missing are not playable: the player skips them.
  const items = all.filter((item) => !item.missing);
  const audio = useRef<HTMLAudioElement>(null);
  const [playingId, setPlayingId] = useState<number | null>(null);
  const index = items.findIndex((item) => item.id === playingId);
  const playing = index >= 0 ? items[index]! : null;

  useEffect(() => {
    const element = audio.current;
    if (!element || !playing) return;
    element.src = playing.track.audioUrl;
    // A refused autoplay (no user gesture yet) leaves the controls for the listener to press.
    void element.play().catch(() => undefined);
  }, [playing?.id, playing?.track.audioUrl]); // eslint-disable-line react-hooks/exhaustive-deps -- restart only when the entry changes

  if (items.length === 0) return null;
  return (
    <div className={styles.player} role="group" aria-label="Play the playlist">
      <button type="button" className={styles.move} onClick={() => setPlayingId(items[0]!.id)}>
        ▶ Play all
      </button>
      <audio
        ref={audio}
        controls
        preload="none"
        aria-label="Playlist player"
        hidden={!playing}
        onEnded={() => setPlayingId(items[index + 1]?.id ?? null)}
      />
      {playing && (
        <span role="status" className={styles.muted}>
          {index + 1}/{items.length}: {playing.track.title}
        </span>
      )}
    </div>
  );
}
