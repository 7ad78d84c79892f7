"use client";

import { usePathname, useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { SimilarOptions } from "./queries";
import styles from "./Track.module.css";

/**
 * The similar lists' filters the API offers: leave out the track's own album (so an album's other tracks do not
 * fill the list) and tracks shorter than a length (intros, stingers). Kept in the URL; the server page re-queries.
 */
export function SimilarFilters({ options }: { options: SimilarOptions }) {
  const router = useRouter();
  const pathname = usePathname();
  const [minSec, setMinSec] = useState(options.minDurationSec === null ? "" : String(options.minDurationSec));
  // Shown at once; the lists follow when the server has answered for the new URL.
  const [otherAlbums, setOtherAlbums] = useState(options.excludeSameAlbum);
  const [pending, startTransition] = useTransition();

  function apply(next: { otherAlbums: boolean; minSec: string }): void {
    setOtherAlbums(next.otherAlbums);
    const params = new URLSearchParams(window.location.search);
    if (next.otherAlbums) params.set("otherAlbums", "1");
    else params.delete("otherAlbums");
    const min = Number(next.minSec);
    if (next.minSec.trim() && Number.isFinite(min) && min > 0) params.set("minSec", String(min));
    else params.delete("minSec");
    const query = params.toString();
    startTransition(() => router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false }));
  }

  return (
    <form
      className={styles.similarFilters}
      aria-label="Similar track filters"
      onSubmit={(event) => {
        event.preventDefault();
        apply({ otherAlbums, minSec });
      }}
    >
      <label>
        <input type="checkbox" checked={otherAlbums} onChange={(event) => apply({ otherAlbums: event.target.checked, minSec })} /> Other albums only
      </label>
      <label>
        At least{" "}
        <input
          type="number"
          min={0}
          inputMode="numeric"
          className={styles.seconds}
          value={minSec}
          onChange={(event) => setMinSec(event.target.value)}
          onBlur={() => apply({ otherAlbums, minSec })}
        />{" "}
        s long
      </label>
      <span aria-live="polite" className={styles.by}>
        {pending ? "Updating…" : ""}
      </span>
    </form>
  );
}
