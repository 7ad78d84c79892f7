"use client";

import { useEffect, useRef, useState } from "react";
import { ErrorBanner } from "@/components/ErrorBanner";
import { runQuery } from "@/lib/graphql";
import { useAudioPreview } from "@/lib/use-audio-preview";
import { useCanEdit } from "@/lib/use-session";
import { FilterCard } from "./FilterCard";
import { FiltersQuery, PAGE, TOP, type FilterCardData, type Layer, type Mode } from "./queries";
import styles from "./Filters.module.css";

const LAYERS: readonly { layer: Layer; label: string }[] = [
  { layer: "CONV1", label: "First convolution" },
  { layer: "DENSE", label: "Dense units" },
];

interface Props {
  initialLayer: Layer;
  initialMode: Mode;
  initialPage: number;
}

/**
 * The active model's filters of one layer, ranked by peak or mean activation over time, a page of PAGE at a time
 * (64 first-layer filters, 512 dense units). Layer, ranking and page live in the URL, so a track page's link
 * opens the page that holds its filter, and reload and Back keep the place.
 */
export function FiltersView({ initialLayer, initialMode, initialPage }: Props) {
  const [layer, setLayer] = useState<Layer>(initialLayer);
  const [mode, setMode] = useState<Mode>(initialMode);
  const [page, setPage] = useState(initialPage);
  const [data, setData] = useState<{ filters: FilterCardData[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canEdit = useCanEdit();
  const preview = useAudioPreview();

  useEffect(() => {
    let current = true;
    void runQuery(FiltersQuery, { layer, mode, first: PAGE, top: TOP, fromIndex: (page - 1) * PAGE }).then((result) => {
      if (!current) return;
      setData(result.ok ? { filters: result.data.filters.edges.map((e) => e.node), total: result.data.filters.totalCount } : null);
      setError(result.ok ? null : result.message);
    });
    return () => {
      current = false;
    };
  }, [layer, mode, page]);

  // A link to one filter (#filter-ID) scrolls to its card once the page holding it is rendered, once.
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    const anchor = window.location.hash.slice(1);
    if (!data || !anchor || scrolledTo.current === anchor) return;
    const card = document.getElementById(anchor);
    if (!card) return;
    scrolledTo.current = anchor;
    card.scrollIntoView({ block: "start" });
  }, [data]);

  useEffect(() => {
    const params = new URLSearchParams();
    if (layer !== "CONV1") params.set("layer", layer.toLowerCase());
    if (mode !== "MAX") params.set("mode", mode.toLowerCase());
    if (page > 1) params.set("page", String(page));
    const query = params.toString();
    const url = `${window.location.pathname}${query ? `?${query}` : ""}${window.location.hash}`;
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) window.history.replaceState(null, "", url);
  }, [layer, mode, page]);

  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE)) : 1;
  const first = (page - 1) * PAGE;

  return (
    <>
      <div className={styles.controls} role="group" aria-label="Which filters">
        {LAYERS.map(({ layer: l, label }) => (
          <button
            key={l}
            type="button"
            aria-pressed={layer === l}
            className={styles.toggle}
            onClick={() => {
              setLayer(l);
              setPage(1);
              if (l === "DENSE") setMode("MAX");
            }}
          >
            {label}
          </button>
        ))}
        <span className={styles.sep} />
        {(["MAX", "MEAN"] as const).map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={mode === m}
            className={styles.toggle}
            disabled={m === "MEAN" && layer === "DENSE"}
            title={m === "MEAN" && layer === "DENSE" ? DENSE_HAS_NO_MEAN : undefined}
            onClick={() => setMode(m)}
          >
            by {m.toLowerCase()}
          </button>
        ))}
        {data && data.total > 0 && (
          <span className={styles.muted}>
            {data.filters.length < data.total ? `${first + 1}–${first + data.filters.length} of ${data.total}` : `${data.total}`} filters
          </span>
        )}
      </div>
      {pages > 1 && <Pager page={page} pages={pages} onPage={setPage} />}
      {layer === "DENSE" && <p className={styles.muted}>{DENSE_HAS_NO_MEAN}</p>}
      <audio ref={preview.ref} preload="none" aria-label="Track preview" {...preview.events} />
      {error && <ErrorBanner title="Could not load the filters." message={error} />}
      {data?.total === 0 && <p className={styles.muted}>No filters yet: train a model and run `curator activations`.</p>}
      <div className={styles.grid}>
        {data?.filters.map((filter) => (
          <FilterCard key={`${filter.id}-${mode}`} filter={filter} mode={mode} canEdit={canEdit} preview={preview} />
        ))}
      </div>
      {pages > 1 && <Pager page={page} pages={pages} onPage={setPage} />}
    </>
  );
}

/**
 * Why dense units have one ranking: `curator activations` ranks first-layer filters by their peak and by their
 * mean over time, but a dense unit's input is already pooled over time, so it has one value per track.
 */
const DENSE_HAS_NO_MEAN = "Dense units have one value per track (their input is pooled over time), so they are ranked by that value only.";

/** Numbered pages (64 filters make 2, 512 units 11): every filter is two clicks away. */
function Pager({ page, pages, onPage }: { page: number; pages: number; onPage(page: number): void }) {
  return (
    <nav aria-label="Filter pages" className={styles.pager}>
      {Array.from({ length: pages }, (_, i) => i + 1).map((n) => (
        <button key={n} type="button" aria-current={n === page ? "page" : undefined} aria-label={`Page ${n}`} className={styles.toggle} onClick={() => onPage(n)}>
          {n}
        </button>
      ))}
    </nav>
  );
}
