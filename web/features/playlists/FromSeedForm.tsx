"use client";

import { useState, type FormEvent } from "react";
import { ChoiceSelect } from "@/components/ChoiceSelect";
import { CountInput } from "@/components/CountInput";
import { TrackPicker } from "@/features/track-search/TrackPicker";
import type { TrackOption } from "@/features/track-search/queries";
import { SPACES, type Space } from "@/features/track/queries";
import { runMutation } from "@/lib/graphql";
import { GenerateFromSeed, type PlaylistSummary } from "./queries";
import { RulesFields, usePlaylistRules } from "./RulesFields";
import styles from "./Playlists.module.css";

const SPACE_CHOICES = SPACES.map(({ space, label }) => ({ value: space, label }));

/** The API's bounds on a seed playlist's size (the seed included). */
const COUNT = { min: 2, max: 200, initial: 20 } as const;

interface Props {
  initial: TrackOption | null;
  onGenerated(playlist: PlaylistSummary): void;
}

/** A seed track and its nearest neighbours in the chosen space, the seed first. */
export function FromSeedForm({ initial, onGenerated }: Props) {
  const [seed, setSeed] = useState<TrackOption | null>(initial);
  const [count, setCount] = useState<number>(COUNT.initial);
  // Audio by default, as in the API: it places cold tracks too.
  const [space, setSpace] = useState<Space>("AUDIO");
  const [rules, setRules] = usePlaylistRules();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function generate(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (!seed) return;
    setBusy(true);
    const result = await runMutation(GenerateFromSeed, { seedTrackId: seed.id, count, space, rules });
    setBusy(false);
    setError(result.ok ? null : result.message);
    if (result.ok) onGenerated(result.data.generatePlaylist);
  }

  return (
    <form aria-label="Generate from a seed track" className={styles.generateForm} onSubmit={generate}>
      <TrackPicker label="Seed track" value={seed} onChange={setSeed} />
      <div className={styles.generateRow}>
        <CountInput label="Tracks" value={count} min={COUNT.min} max={COUNT.max} onChange={setCount} />
        <ChoiceSelect label="Space" className={styles.small} value={space} choices={SPACE_CHOICES} onChange={setSpace} />
      </div>
      <RulesFields rules={rules} onChange={setRules} keeps="the seed" />
      <button type="submit" disabled={!seed || busy}>
        Generate from seed
      </button>
      {error && <p role="alert" className={styles.error}>{error}</p>}
    </form>
  );
}
