"use client";

import Link from "next/link";
import { useCanEdit } from "@/lib/use-session";
import styles from "./AddToPlaylist.module.css";

/** From a track to the playlist generator with the track picked: as the seed, or as the start of a sonic path. */
export function GenerateLinks({ trackId }: { trackId: number }) {
  if (!useCanEdit()) return null;
  return (
    <span className={styles.root}>
      <Link href={`/playlists?seed=${trackId}`}>Playlist from this track</Link>
      <Link href={`/playlists?from=${trackId}`}>Path to…</Link>
    </span>
  );
}
