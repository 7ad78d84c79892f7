"use client";

import Link from "next/link";
import { useState } from "react";
import { RulesFields, usePlaylistRules } from "@/features/playlists/RulesFields";
import { runMutation } from "@/lib/graphql";
import type { AudioPreview } from "@/lib/use-audio-preview";
import { FilterName } from "./FilterName";
import { PreviewButton } from "./PreviewButton";
import { WeightPicture } from "./WeightPicture";
import { FilterPlaylist, type FilterCardData, type Mode } from "./queries";
import styles from "./Filters.module.css";

interface Props {
  filter: FilterCardData;
  mode: Mode;
  canEdit: boolean;
  preview: Pick<AudioPreview, "playing" | "toggle">;
}

/** One learned filter: its name, its weights as a picture, and the tracks that excite it most, activations drawn as bars. */
export function FilterCard({ filter, mode, canEdit, preview }: Props) {
  const [playlist, setPlaylist] = useState<{ id: number; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rules, setRules] = usePlaylistRules();
  const top = Math.max(...filter.topTracks.map((t) => t.value), Number.EPSILON);

  async function makePlaylist(): Promise<void> {
    const result = await runMutation(FilterPlaylist, { filterId: filter.id, mode, rules });
    if (result.ok) setPlaylist(result.data.generatePlaylist);
    setError(result.ok ? null : result.message);
  }

  return (
    <article id={`filter-${filter.id}`} className={styles.card} aria-label={`Filter ${filter.index}`}>
      <header className={styles.cardHead}>
        <span className={styles.index}>#{filter.index}</span>
        {canEdit ? <FilterName id={filter.id} index={filter.index} initial={filter.name} /> : <span className={styles.name}>{filter.name ?? "unnamed"}</span>}
      </header>
      {filter.weightImageUrl && <WeightPicture url={filter.weightImageUrl} axes={filter.weightAxes} index={filter.index} />}
      {filter.topTracks.length === 0 ? (
        <p className={styles.muted}>No activations stored.</p>
      ) : (
        <ol className={styles.tracks}>
          {filter.topTracks.map(({ rank, value, track }) => (
            <li key={rank} title={`${track.artist.name} · activation ${value.toFixed(3)} · plays ${track.audioCodec}`}>
              <span className={styles.bar} style={{ width: `${(100 * Math.max(0, value)) / top}%` }} aria-hidden="true" />
              <PreviewButton
                title={track.title}
                playing={preview.playing === track.audioUrl}
                onToggle={() => preview.toggle(track.audioUrl, track.excerptStartSec)}
              />
              <Link href={`/tracks/${track.id}`}>{track.title}</Link>
            </li>
          ))}
        </ol>
      )}
      {filter.topTracks.length > 0 && (
        <p className={styles.codecs}>Previews play {[...new Set(filter.topTracks.map((t) => t.track.audioCodec))].join(", ")}</p>
      )}
      {canEdit && !playlist && (
        <>
          <button type="button" className={styles.small} onClick={makePlaylist}>
            Playlist of its top tracks
          </button>
          <RulesFields rules={rules} onChange={setRules} />
        </>
      )}
      {playlist && (
        <p role="status" className={styles.small}>
          Created <Link href={`/playlists?id=${playlist.id}`}>{playlist.name}</Link>
        </p>
      )}
      {error && <p role="alert" className={styles.error}>{error}</p>}
    </article>
  );
}
