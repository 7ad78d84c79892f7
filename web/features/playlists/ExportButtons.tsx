"use client";

import { useState } from "react";
import { runQuery } from "@/lib/graphql";
import { ExportPlaylist, type ExportFormat } from "./queries";
import styles from "./Playlists.module.css";

const TYPES: Record<ExportFormat, string> = { M3U: "audio/x-mpegurl", XSPF: "application/xspf+xml", JSPF: "application/jspf+json" };

/** Downloads the API's export as a file; audio URLs point at this site, whose /media proxy serves the audio. */
export function ExportButtons({ id }: { id: number }) {
  const [error, setError] = useState<string | null>(null);

  async function download(format: ExportFormat): Promise<void> {
    const result = await runQuery(ExportPlaylist, { id, format, baseUrl: window.location.origin });
    setError(result.ok ? null : result.message);
    if (!result.ok) return;
    const url = URL.createObjectURL(new Blob([result.data.playlistExport], { type: TYPES[format] }));
    const link = document.createElement("a");
    link.href = url;
    // The API names the file: the playlist's name, changed only where file systems forbid a character.
    link.download = result.data.playlist?.exportFileName ?? "playlist";
    link.click();
    // The download reads the blob after this handler returns.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  return (
    <span className={styles.exports}>
      <button type="button" onClick={() => download("M3U")}>Export M3U</button>
      <button type="button" onClick={() => download("XSPF")}>Export XSPF</button>
      <button type="button" onClick={() => download("JSPF")}>Export JSPF</button>
      {error && <span role="alert" className={styles.error}>{error}</span>}
    </span>
  );
}
