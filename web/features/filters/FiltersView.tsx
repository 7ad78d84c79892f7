"use client";

import { useEffect, useState } from "react";
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
      // A link to one filter (#filter-ID) scrolls to its card once the page holding it has loaded.
      const anchor = window.location.hash.slice(1);
      if (result.ok && anchor) requestAnimationFrame(() => document.getElementById(anchor)?.scrollIntoView({ block: "start" }));
    });
    return () => {
      current = false;
    };
  }, [layer, mode, page]);

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
            }}
          >
            {label}
          </button>
        ))}
        <span className={styles.sep} />
        {(["MAX", "MEAN"] as const).map((m) => (
          <button key={m} type="button" aria-pressed={mode === m} className={styles.toggle} onClick={() => setMode(m)}>
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
