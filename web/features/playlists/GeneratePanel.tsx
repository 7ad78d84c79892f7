"use client";

import Link from "next/link";
import { useState } from "react";
import { ErrorBanner } from "@/components/ErrorBanner";
import { useTrackOption } from "@/features/track-search/use-track-option";
import { useCanEdit } from "@/lib/use-session";
import { FromPathForm } from "./FromPathForm";
import { FromSeedForm } from "./FromSeedForm";
import type { PlaylistSummary } from "./queries";
import styles from "./Playlists.module.css";

type Source = "seed" | "path";
const SOURCES: readonly { source: Source; label: string }[] = [
  { source: "seed", label: "Seed track" },
  { source: "path", label: "Sonic path" },
];

interface Props {
  /** From a track page's "Playlist from this track" (?seed=) or "Path to…" (?from=). */
  seedId: number | null;
  fromId: number | null;
  onGenerated(playlist: PlaylistSummary): void;
}

/**
 * Editors generate a playlist from a seed track or along a sonic path here; filter and map-selection playlists
 * are made where the filter or the selection is, and this panel points there.
 */
export function GeneratePanel({ seedId, fromId, onGenerated }: Props) {
  const canEdit = useCanEdit();
  const [source, setSource] = useState<Source>(fromId !== null ? "path" : "seed");
  const linked = useTrackOption(fromId ?? seedId);
  if (!canEdit) return null;

  return (
    <section aria-label="Generate a playlist" className={styles.generate}>
      <h2>Generate</h2>
      <fieldset className={styles.sources}>
        <legend>From</legend>
        {SOURCES.map(({ source: value, label }) => (
          <label key={value}>
            <input type="radio" name="generate-source" value={value} checked={source === value} onChange={() => setSource(value)} /> {label}
          </label>
        ))}
      </fieldset>
      {linked.state === "loading" ? (
        <p className={styles.muted}>Loading the track…</p>
      ) : (
        <>
          {linked.error && <ErrorBanner title="Linked track:" message={linked.error} />}
          {source === "seed" ? (
            <FromSeedForm initial={seedId !== null ? linked.track : null} onGenerated={onGenerated} />
          ) : (
            <FromPathForm initialFrom={fromId !== null ? linked.track : null} onGenerated={onGenerated} />
          )}
        </>
      )}
      <p className={styles.small}>
        Also: a filter&apos;s top tracks on <Link href="/filters">Filters</Link>, a selection or path on the <Link href="/map">Map</Link>.
      </p>
    </section>
  );
}
