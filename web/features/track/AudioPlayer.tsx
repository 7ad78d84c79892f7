"use client";

import { useRef, useState } from "react";
import { formatDuration } from "@/lib/format";
import styles from "./Track.module.css";

interface Props {
  src: string;
  /** What the listener hears (the API's audioCodec), shown under the player. */
  codec: string;
  durationSec: number;
  excerptStartSec: number;
  excerptLengthSec: number;
}

/**
 * The track's audio with the span the convnet analyses marked under it: its predictions describe those ~28 s,
 * not the whole track, so an editor judging a neighbour should listen there first.
 */
export function AudioPlayer({ src, codec, durationSec, excerptStartSec, excerptLengthSec }: Props) {
  const audio = useRef<HTMLAudioElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const total = Math.max(durationSec, Number.EPSILON);
  const excerpt = `${formatDuration(excerptStartSec)}–${formatDuration(excerptStartSec + excerptLengthSec)}`;

  function playExcerpt(): void {
    const element = audio.current;
    if (!element) return;
    setProblem(null);
    element.currentTime = excerptStartSec;
    // play() rejects when the audio cannot be loaded or the browser refuses to start it: say so, never throw.
    element.play().catch((err: unknown) => setProblem(err instanceof Error ? err.message : String(err)));
  }

  function loadFailed(): void {
    const error = audio.current?.error;
    setProblem(error ? `the audio could not be loaded (${error.message || `media error ${error.code}`})` : "the audio could not be loaded");
  }

  return (
    <section className={styles.player} aria-label="Listen">
      <audio ref={audio} controls preload="metadata" src={src} className={styles.audio} onError={loadFailed} />
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
        <span className={styles.muted}>
          the model hears {excerpt} · you hear {codec}
        </span>
      </div>
      {problem && (
        <p role="alert" className={styles.playError}>
          Cannot play: {problem}
        </p>
      )}
    </section>
  );
}
