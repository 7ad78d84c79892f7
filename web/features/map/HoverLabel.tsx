"use client";

import { useEffect, useState } from "react";
import { cachedLabel, fetchLabels, type TrackLabel } from "./titles";
import styles from "./Map.module.css";

/** The hovered track's title beside the pointer, fetched on first hover. */
export function HoverLabel({ id, at }: { id: number; at: { x: number; y: number } }) {
  const [label, setLabel] = useState<TrackLabel | undefined>(() => cachedLabel(id));

  useEffect(() => {
    let current = true;
    setLabel(cachedLabel(id));
    fetchLabels([id]).then(
      (labels) => current && setLabel(labels.get(id)),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [id]);

  return (
    <div role="tooltip" className={styles.tooltip} style={{ left: at.x + 12, top: at.y + 12 }}>
      {label ? (
        <>
          <strong>{label.title}</strong> · {label.artist}
          <span className={styles.codec}>Plays {label.audioCodec}</span>
        </>
      ) : (
        "…"
      )}
    </div>
  );
}
