"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { runQuery } from "@/lib/graphql";
import { SonicPathQuery, type PathStep } from "./queries";
import { cachedLabel, fetchLabels } from "./titles";
import styles from "./Map.module.css";

const DEFAULT_LENGTH = 10;

interface Props {
  /** Track ids clicked so far: the start, then the end. */
  ends: readonly number[];
  space: "CF" | "AUDIO";
  onPath(trackIds: number[]): void;
  onClear(): void;
}

/** The sonic path between two clicked tracks: fetched once both ends are known, drawn by the map, listed here. */
export function SonicPathPanel({ ends, space, onPath, onClear }: Props) {
  const [length, setLength] = useState(DEFAULT_LENGTH);
  const [steps, setSteps] = useState<PathStep[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [, setLabelsLoaded] = useState(0);
  const [from, to] = ends;

  useEffect(() => {
    void fetchLabels(ends).then(() => setLabelsLoaded((n) => n + 1), () => undefined);
  }, [ends]);

  useEffect(() => {
    let current = true;
    if (from === undefined || to === undefined) {
      setSteps([]);
      onPath([]);
      return;
    }
    void runQuery(SonicPathQuery, { from, to, length, space }).then((result) => {
      if (!current) return;
      setSteps(result.ok ? result.data.sonicPath : []);
      setError(result.ok ? null : result.message);
      onPath(result.ok ? result.data.sonicPath.map((step) => step.track.id) : []);
    });
    return () => {
      current = false;
    };
    // onPath is a state setter of the parent: stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [from, to, length, space]);

  const name = (id: number | undefined) => (id === undefined ? "—" : (cachedLabel(id)?.title ?? `#${id}`));
  return (
    <section aria-label="Sonic path" className={styles.panel}>
      <h2>Sonic path</h2>
      {from === undefined ? (
        <p className={styles.hint}>Click a track to start a path.</p>
      ) : (
        <p>
          From <strong>{name(from)}</strong> to <strong>{to === undefined ? "… click another track" : name(to)}</strong>{" "}
          <button type="button" className={styles.small} onClick={onClear}>
            Clear
          </button>
        </p>
      )}
      <label className={styles.hint}>
        Steps{" "}
        <input type="number" min={2} max={50} value={length} onChange={(event) => setLength(Math.max(2, Math.min(50, Number(event.target.value) || DEFAULT_LENGTH)))} className={styles.number} />
      </label>
      {error && <p role="alert" className={styles.error}>{error}</p>}
      {steps.length > 0 && (
        <ol className={styles.list} aria-label="Path tracks">
          {steps.map((step) => (
            <li key={step.track.id}>
              <Link href={`/tracks/${step.track.id}`}>{step.track.title}</Link>
              <span className={styles.muted}> · {step.track.artist.name}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
