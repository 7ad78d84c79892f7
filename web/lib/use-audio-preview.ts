"use client";

import { useCallback, useRef, useState, type RefObject } from "react";

export interface AudioPreview {
  /** Goes on the page's one <audio>, together with `events`. */
  ref: RefObject<HTMLAudioElement | null>;
  events: { onPlay(): void; onPause(): void; onEnded(): void };
  /** The source now playing; null while paused. */
  playing: string | null;
  play(src: string, startSec: number): void;
  pause(): void;
  toggle(src: string, startSec: number): void;
}

/**
 * One <audio> shared by a whole page: starting a preview replaces the previous one, so two never play over each
 * other and the browser keeps a single decoder. A media fragment (#t=) seeks before the first byte is played.
 */
export function useAudioPreview(): AudioPreview {
  const ref = useRef<HTMLAudioElement>(null);
  const loaded = useRef<string | null>(null);
  const [playing, setPlaying] = useState<string | null>(null);

  const play = useCallback((src: string, startSec: number) => {
    const element = ref.current;
    if (!element) return;
    if (loaded.current !== src) {
      loaded.current = src;
      element.src = `${src}#t=${startSec}`;
    }
    // Rejected when a newer preview replaced this one before it started, or autoplay was refused: nothing plays.
    element.play().catch(() => setPlaying(null));
  }, []);

  const pause = useCallback(() => ref.current?.pause(), []);

  const toggle = useCallback(
    (src: string, startSec: number) => (playing === src ? pause() : play(src, startSec)),
    [playing, pause, play],
  );

  const events = {
    onPlay: () => setPlaying(loaded.current),
    onPause: () => setPlaying(null),
    onEnded: () => setPlaying(null),
  };

  return { ref, events, playing, play, pause, toggle };
}
