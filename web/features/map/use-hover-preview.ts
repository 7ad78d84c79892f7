"use client";

import { useEffect } from "react";
import type { AudioPreview } from "@/lib/use-audio-preview";
import { fetchLabels } from "./titles";

/** Long enough that sweeping the pointer across a cluster stays silent; short enough to feel like a reaction. */
const DWELL_MS = 400;

/**
 * Plays the hovered track once the pointer has rested on it, and stops as soon as it leaves. The excerpt start
 * and the audio URL come with the title the hover label fetches anyway, so starting at the analysed middle costs no
 * extra request; a failed label fetch stays silent.
 */
export function useHoverPreview(preview: AudioPreview, hovered: number | null, enabled: boolean): void {
  const { play, pause } = preview;

  useEffect(() => {
    if (!enabled || hovered === null) return;
    let current = true;
    const timer = setTimeout(() => {
      fetchLabels([hovered]).then(
        (labels) => {
          const label = labels.get(hovered);
          if (current && label) play(label.audioUrl, label.excerptStartSec);
        },
        () => {},
      );
    }, DWELL_MS);
    return () => {
      current = false;
      clearTimeout(timer);
      pause();
    };
  }, [hovered, enabled, play, pause]);
}
