"use client";

import { useEffect, useState } from "react";
import { runQuery } from "@/lib/graphql";
import { PlaylistRulesQuery, type PlaylistRules } from "./queries";
import styles from "./RulesFields.module.css";

/** The API's rule bounds (PlaylistRulesInput). */
const MIN_SECONDS = { min: 0, max: 3600 } as const;

// Every generator form on a page (one per filter card) shares one request for the defaults.
let defaults: Promise<PlaylistRules | null> | null = null;
function loadDefaults(): Promise<PlaylistRules | null> {
  defaults ??= runQuery(PlaylistRulesQuery, {}).then((result) => {
    if (!result.ok) defaults = null;
    return result.ok ? result.data.playlistRules : null;
  });
  return defaults;
}

/**
 * The rules a generated playlist follows, starting from the API's defaults; null until they have loaded (a
 * mutation sent with null rules gets the same defaults from the API).
 */
export function usePlaylistRules(): [PlaylistRules | null, (rules: PlaylistRules) => void] {
  const [rules, setRules] = useState<PlaylistRules | null>(null);
  useEffect(() => {
    let current = true;
    void loadDefaults().then((loaded) => {
      if (current && loaded) setRules((mine) => mine ?? loaded);
    });
    return () => {
      current = false;
    };
  }, []);
  return [rules, setRules];
}

/** One line: what the rules leave out and how they order the rest. */
export function describeRules(rules: PlaylistRules): string {
  const parts = [
    rules.skipFlagged ? "skips flagged tracks" : "keeps flagged tracks",
    rules.minDurationSec > 0 ? `skips tracks under ${rules.minDurationSec} s` : "keeps every length",
    rules.spreadArtists ? "spreads artists" : "keeps ranked order",
  ];
  return parts.join(", ");
}

interface Props {
  rules: PlaylistRules | null;
  onChange(rules: PlaylistRules): void;
  /** Ends the editor picked (a seed, a path's ends) are kept whatever the rules say. */
  keeps?: string;
}

/** The rules as a summary line that opens into their fields. */
export function RulesFields({ rules, onChange, keeps }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  if (!rules) return <p className={styles.summaryLine}>Playlist rules: the API&apos;s defaults</p>;
  return (
    <details className={styles.rules}>
      <summary>Rules: {describeRules(rules)}</summary>
      <fieldset className={styles.fields}>
        <legend className={styles.legend}>What the playlist leaves out{keeps ? ` (${keeps} always stay)` : ""}</legend>
        <label>
          <input type="checkbox" checked={rules.skipFlagged} onChange={(e) => onChange({ ...rules, skipFlagged: e.target.checked })} /> Skip flagged tracks
          (outliers not rejected on the Flags page)
        </label>
        <label>
          Skip tracks shorter than{" "}
          <input
            type="number"
            className={styles.seconds}
            min={MIN_SECONDS.min}
            max={MIN_SECONDS.max}
            step={1}
            value={draft ?? String(rules.minDurationSec)}
            onChange={(e) => {
              setDraft(e.target.value);
              const typed = Number(e.target.value);
              if (e.target.value !== "" && typed >= MIN_SECONDS.min && typed <= MIN_SECONDS.max) onChange({ ...rules, minDurationSec: typed });
            }}
            onBlur={() => setDraft(null)}
          />{" "}
          s
        </label>
        <label>
          <input type="checkbox" checked={rules.spreadArtists} onChange={(e) => onChange({ ...rules, spreadArtists: e.target.checked })} /> Spread artists (no
          two in a row where avoidable)
        </label>
      </fieldset>
    </details>
  );
}
