"use client";

import { useEffect, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { ErrorBanner } from "@/components/ErrorBanner";
import table from "@/components/table.module.css";
import type { OrderField, TrackFilter, TrackOrder, TrackPage } from "./queries";
import { nextOrder } from "./sort";
import { SortHeader } from "./SortHeader";
import { TrackRow } from "./TrackRow";
import { CatalogFilters, toFilter, type FilterForm } from "./CatalogFilters";
import { useTrackPages } from "./useTrackPages";
import { catalogSearch, type CatalogState } from "./url-state";
import styles from "./Catalog.module.css";

/** Must match `.row` height in Catalog.module.css: the virtualiser places rows by it without measuring. */
const ROW_HEIGHT = 34;
/**
 * Fetch the next page once the rendered window (the viewport plus the overscan) comes within this many rows of
 * the last loaded one. Counted from the overscanned window, so a first page that fills the screen is not
 * followed by a second fetch before the user scrolls at all.
 */
const PREFETCH_ROWS = 10;
/** Rows rendered before the browser has measured the scroller (the server render and first paint). */
const INITIAL_RECT = { width: 1000, height: 20 * ROW_HEIGHT };

interface Props {
  /** The search, filters and order from the URL; the search text stays, the filters and order change here. */
  initial: CatalogState;
  /** The API filter `firstPage` was fetched with. */
  initialFilter: TrackFilter | null;
  firstPage: TrackPage;
}

/**
 * The catalogue as one scrolling, virtualised table: only the rows in view are in the DOM, and pages are fetched
 * in the API's order (sorting is server-side, so it covers every track, not just the loaded ones) as the user
 * nears the end. The page remounts this per search; filters and order live in the URL (replaced, not pushed, so
 * Back leaves the catalogue rather than stepping through every tick of a checkbox).
 */
export function CatalogTable({ initial, initialFilter, firstPage }: Props) {
  const { text } = initial;
  const [order, setOrder] = useState<TrackOrder | null>(initial.order);
  const [form, setForm] = useState<FilterForm>(initial.form);
  const [filter, setFilter] = useState(initialFilter);
  const formed = toFilter(text, form);
  const formError = typeof formed === "string" ? formed : null;
  // An inverted range keeps the last valid filter in force rather than asking the API for an error.
  function onForm(next: FilterForm): void {
    setForm(next);
    const applied = toFilter(text, next);
    if (typeof applied !== "string") setFilter(Object.keys(applied).length ? applied : null);
  }
  useEffect(() => {
    const search = catalogSearch({ text, form, order });
    if (search !== window.location.search) window.history.replaceState(null, "", `${window.location.pathname}${search}`);
  }, [text, form, order]);

  const pages = useTrackPages(firstPage, initialFilter, initial.order, filter, order);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: pages.tracks.length + (pages.hasNextPage ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialRect: INITIAL_RECT,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  const { loadMore } = pages;
  useEffect(() => {
    if (lastIndex >= pages.tracks.length - PREFETCH_ROWS) loadMore();
  }, [lastIndex, pages.tracks.length, loadMore]);

  // A new order or filter starts at the top: the old scroll offset means nothing in the new list.
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [pages.key]);

  const onSort = (field: OrderField) => setOrder((current) => nextOrder(current, field));
  const filtering = filter !== null && Object.keys(filter).some((k) => k !== "text");
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <>
      <CatalogFilters form={form} onChange={onForm} error={formError} />
      {pages.tracks.length === 0 && pages.current ? (
        <p className={table.empty}>
          {text || filtering ? `No tracks match${text ? ` “${text}”` : ""}${filtering ? " these filters" : ""}.` : "The catalogue is empty: ingest some audio first."}
        </p>
      ) : (
        // Focusable so arrow keys and Page Up/Down scroll the list from the keyboard.
        <div ref={scroller} className={styles.scroller} tabIndex={0} aria-busy={!pages.current}>
          <table className={table.table} aria-rowcount={pages.totalCount + 1}>
            <caption>
              {pages.tracks.length} of {pages.totalCount} tracks{pages.current ? "" : " (reloading…)"}
            </caption>
            <thead>
              <tr>
                <SortHeader label="Title" field="TITLE" order={order} onSort={onSort} />
                <SortHeader label="Artist" field="ARTIST" order={order} onSort={onSort} />
                <th scope="col">Album</th>
                <SortHeader label="Duration" field="DURATION" order={order} onSort={onSort} numeric />
              </tr>
            </thead>
            <tbody>
              {top > 0 && <Spacer height={top} />}
              {items.map((item) => {
                const track = pages.tracks[item.index];
                return track ? (
                  <TrackRow key={track.id} track={track} />
                ) : (
                  <tr key="more" className={styles.row}>
                    <td colSpan={4} className={styles.missing}>
                      {pages.loading ? "Loading…" : ""}
                    </td>
                  </tr>
                );
              })}
              {bottom > 0 && <Spacer height={bottom} />}
            </tbody>
          </table>
        </div>
      )}
      {pages.error && <ErrorBanner title="Could not load more tracks." message={pages.error} />}
    </>
  );
}

/** Stands in for the rows above or below the view, so the scrollbar reflects the whole loaded list. */
function Spacer({ height }: { height: number }) {
  return (
    <tr aria-hidden="true">
      <td colSpan={4} style={{ height, padding: 0, border: 0 }} />
    </tr>
  );
}
