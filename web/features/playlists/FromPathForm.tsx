"use client";

import { useState, type FormEvent } from "react";
import { ChoiceSelect, type Choice } from "@/components/ChoiceSelect";
import { CountInput } from "@/components/CountInput";
import { PATH_LENGTH, type PathSpace } from "@/features/map/queries";
import { TrackPicker } from "@/features/track-search/TrackPicker";
import type { TrackOption } from "@/features/track-search/queries";
import { runMutation } from "@/lib/graphql";
import { GenerateFromPath, type PlaylistSummary } from "./queries";
import { RulesFields, usePlaylistRules } from "./RulesFields";
import styles from "./Playlists.module.css";

const PATH_SPACES: readonly Choice<PathSpace>[] = [
  { value: "CF", label: "Listeners (CF)" },
  { value: "AUDIO", label: "Audio" },
];

interface Props {
  initialFrom: TrackOption | null;
  onGenerated(playlist: PlaylistSummary): void;
}

/** A sonic path between two tracks, saved in its order: the API plans the path, the playlist keeps its tracks. */
export function FromPathForm({ initialFrom, onGenerated }: Props) {
  const [from, setFrom] = useState<TrackOption | null>(initialFrom);
  const [to, setTo] = useState<TrackOption | null>(null);
  const [length, setLength] = useState<number>(PATH_LENGTH.initial);
  const [space, setSpace] = useState<PathSpace>("CF");
  const [rules, setRules] = usePlaylistRules();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const same = from !== null && to !== null && from.id === to.id;

  async function generate(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (!from || !to || same) return;
    setBusy(true);
    const result = await runMutation(GenerateFromPath, { path: { from: from.id, to: to.id, length, space }, rules });
    setBusy(false);
    setError(result.ok ? null : result.message);
    if (result.ok) onGenerated(result.data.generatePlaylist);
  }

  return (
    <form aria-label="Generate a sonic path" className={styles.generateForm} onSubmit={generate}>
      <TrackPicker label="From track" value={from} onChange={setFrom} />
      <TrackPicker label="To track" value={to} onChange={setTo} />
      <div className={styles.generateRow}>
        <CountInput label="Steps" value={length} min={PATH_LENGTH.min} max={PATH_LENGTH.max} onChange={setLength} />
        <ChoiceSelect label="Space" className={styles.small} value={space} choices={PATH_SPACES} onChange={setSpace} />
      </div>
      <RulesFields rules={rules} onChange={setRules} keeps="both ends" />
      {same && <p className={styles.error}>Pick two different tracks.</p>}
      <button type="submit" disabled={!from || !to || same || busy}>
        Generate path
      </button>
      {error && <p role="alert" className={styles.error}>{error}</p>}
    </form>
  );
}
