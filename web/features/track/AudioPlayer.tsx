"use client";

import { useRef } from "react";
import { formatDuration } from "@/lib/format";
import styles from "./Track.module.css";

interface Props {
  src: string;
  durationSec: number;
  excerptStartSec: number;
  excerptLengthSec: number;
}

/**
 * The track's audio with the span the convnet analyses marked under it: its predictions describe those ~28 s,
 * not the whole track, so an editor judging a neighbour should listen there first.
 */
export function AudioPlayer({ src, durationSec, excerptStartSec, excerptLengthSec }: Props) {
  const audio = useRef<HTMLAudioElement>(null);
  const total = Math.max(durationSec, Number.EPSILON);
  const excerpt = `${formatDuration(excerptStartSec)}–${formatDuration(excerptStartSec + excerptLengthSec)}`;

  function playExcerpt(): void {
    const element = audio.current;
    if (!element) return;
    element.currentTime = excerptStartSec;
    void element.play();
  }

  return (
    <section className={styles.player} aria-label="Listen">
      <audio ref={audio} controls preload="metadata" src={src} className={styles.audio} />
      <div className={styles.excerptBar} role="img" aria-label={`Analysed excerpt ${excerpt} of ${formatDuration(durationSec)}`}>
        <span
          className={styles.excerpt}
          style={{ left: `${(100 * excerptStartSec) / total}%`, width: `${(100 * Math.min(excerptLengthSec, total)) / total}%` }}
        />
      </div>
      <div className={styles.playerFoot}>
        <button type="button" className={styles.small} onClick={playExcerpt}>
          Play the analysed excerpt
        </button>
        <span className={styles.muted}>the model hears {excerpt}</span>
      </div>
    </section>
  );
}
