"use client";

import { useState } from "react";
import { runQuery } from "@/lib/graphql";
import { ExportPlaylist, type ExportFormat } from "./queries";
import styles from "./Playlists.module.css";

const FILES: Record<ExportFormat, { extension: string; type: string }> = {
  M3U: { extension: "m3u", type: "audio/x-mpegurl" },
  XSPF: { extension: "xspf", type: "application/xspf+xml" },
};

/** Downloads the API's export as a file; audio URLs point at this site, whose /media proxy serves the audio. */
export function ExportButtons({ id, name }: { id: number; name: string }) {
  const [error, setError] = useState<string | null>(null);

  async function download(format: ExportFormat): Promise<void> {
    const result = await runQuery(ExportPlaylist, { id, format, baseUrl: window.location.origin });
    setError(result.ok ? null : result.message);
    if (!result.ok) return;
    const url = URL.createObjectURL(new Blob([result.data.playlistExport], { type: FILES[format].type }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `${name.replace(/[^\p{L}\p{N} _-]+/gu, "_").trim() || "playlist"}.${FILES[format].extension}`;
    link.click();
    // The download reads the blob after this handler returns.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  return (
    <span className={styles.exports}>
      <button type="button" onClick={() => download("M3U")}>Export M3U</button>
      <button type="button" onClick={() => download("XSPF")}>Export XSPF</button>
      {error && <span role="alert" className={styles.error}>{error}</span>}
    </span>
  );
}
