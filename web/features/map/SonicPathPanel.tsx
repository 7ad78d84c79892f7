"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { SignInToEdit } from "@/features/session/SignInToEdit";
import { CountInput } from "@/components/CountInput";
import { CreatedNotice } from "@/features/playlists/CreatedNotice";
import { GenerateFromPath, type PlaylistSummary } from "@/features/playlists/queries";
import { RulesFields, usePlaylistRules } from "@/features/playlists/RulesFields";
import { runMutation, runQuery } from "@/lib/graphql";
import { useCanEdit } from "@/lib/use-session";
import { PATH_LENGTH, SonicPathQuery, type PathSpace, type PathStep } from "./queries";
import { cachedLabel, fetchLabels } from "./titles";
import styles from "./Map.module.css";

interface Props {
  /** Track ids picked so far: the start, then the end. */
  ends: readonly number[];
  space: PathSpace;
  onPath(trackIds: number[]): void;
  onClear(): void;
}

/**
 * The sonic path between two picked tracks: fetched once both ends are known, drawn by the map, listed here, and
 * for editors saved as a playlist.
 */
export function SonicPathPanel({ ends, space, onPath, onClear }: Props) {
  const [length, setLength] = useState<number>(PATH_LENGTH.initial);
  const [steps, setSteps] = useState<PathStep[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<PlaylistSummary | null>(null);
  const [rules, setRules] = usePlaylistRules();
  const [, setLabelsLoaded] = useState(0);
  const canEdit = useCanEdit();
  const [from, to] = ends;

  useEffect(() => {
    void fetchLabels(ends).then(() => setLabelsLoaded((n) => n + 1), () => undefined);
  }, [ends]);

  useEffect(() => {
    let current = true;
    setCreated(null);
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

  async function save(): Promise<void> {
    if (from === undefined || to === undefined) return;
    const result = await runMutation(GenerateFromPath, { path: { from, to, length, space }, rules });
    setError(result.ok ? null : result.message);
    if (result.ok) setCreated(result.data.generatePlaylist);
  }

  const name = (id: number | undefined) => (id === undefined ? "—" : (cachedLabel(id)?.title ?? `#${id}`));
  return (
    <section aria-label="Sonic path" className={styles.panel}>
      <h2>Sonic path</h2>
      {from === undefined ? (
        <p className={styles.hint}>Click a track, or find one above, to start a path.</p>
      ) : (
        <p>
          From <strong>{name(from)}</strong> to <strong>{to === undefined ? "… pick another track" : name(to)}</strong>{" "}
          <button type="button" className={styles.small} onClick={onClear}>
            Clear
          </button>
        </p>
      )}
      <div className={styles.row}>
        <CountInput label="Steps" value={length} min={PATH_LENGTH.min} max={PATH_LENGTH.max} onChange={setLength} />
        {canEdit && steps.length > 0 && (
          <button type="button" className={styles.small} onClick={save}>
            Save path as playlist
          </button>
        )}
      </div>
      {steps.length > 0 && <SignInToEdit what="saving the path as a playlist" />}
      {canEdit && steps.length > 0 && <RulesFields rules={rules} onChange={setRules} keeps="both ends" />}
      {created && <CreatedNotice playlist={created} />}
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
