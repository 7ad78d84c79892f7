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

/** The active model's filters of one layer, ranked by peak or mean activation over time. */
export function FiltersView() {
  const [layer, setLayer] = useState<Layer>("CONV1");
  const [mode, setMode] = useState<Mode>("MAX");
  const [data, setData] = useState<{ filters: FilterCardData[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canEdit = useCanEdit();
  const preview = useAudioPreview();

  useEffect(() => {
    let current = true;
    void runQuery(FiltersQuery, { layer, mode, first: PAGE, top: TOP }).then((result) => {
      if (!current) return;
      setData(result.ok ? { filters: result.data.filters.edges.map((e) => e.node), total: result.data.filters.totalCount } : null);
      setError(result.ok ? null : result.message);
    });
    return () => {
      current = false;
    };
  }, [layer, mode]);

  return (
    <>
      <div className={styles.controls} role="group" aria-label="Which filters">
        {LAYERS.map(({ layer: l, label }) => (
          <button key={l} type="button" aria-pressed={layer === l} className={styles.toggle} onClick={() => setLayer(l)}>
            {label}
          </button>
        ))}
        <span className={styles.sep} />
        {(["MAX", "MEAN"] as const).map((m) => (
          <button key={m} type="button" aria-pressed={mode === m} className={styles.toggle} onClick={() => setMode(m)}>
            by {m.toLowerCase()}
          </button>
        ))}
        {data && (
          <span className={styles.muted}>
            {data.filters.length < data.total ? `first ${data.filters.length} of ${data.total}` : `${data.total}`} filters
          </span>
        )}
      </div>
      <audio ref={preview.ref} preload="none" aria-label="Track preview" {...preview.events} />
      {error && <ErrorBanner title="Could not load the filters." message={error} />}
      {data?.total === 0 && <p className={styles.muted}>No filters yet: train a model and run `curator activations`.</p>}
      <div className={styles.grid}>
        {data?.filters.map((filter) => (
          <FilterCard key={`${filter.id}-${mode}`} filter={filter} mode={mode} canEdit={canEdit} preview={preview} />
        ))}
      </div>
    </>
  );
}
