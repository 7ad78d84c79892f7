"use client";

import { useMemo, useState } from "react";
import { ErrorBanner } from "@/components/ErrorBanner";
import table from "@/components/table.module.css";
import { runQuery } from "@/lib/graphql";
import { PAGE_SIZE, TracksQuery, textFilter, type TrackPage } from "./queries";
import { nextSort, sortTracks, type Sort } from "./sort";
import { SortHeader } from "./SortHeader";
import { TrackRow } from "./TrackRow";
import styles from "./Catalog.module.css";

interface Props {
  /** The search the first page was fetched with; later pages keep it. */
  text: string;
  firstPage: TrackPage;
}

/**
 * The loaded tracks with client-side sorting (the API has no order argument, so sorting covers the pages
 * loaded so far) and cursor pagination. The page remounts this per search, which resets the loaded pages.
 */
export function CatalogTable({ text, firstPage }: Props) {
  const [tracks, setTracks] = useState(() => firstPage.edges.map((edge) => edge.node));
  const [pageInfo, setPageInfo] = useState(firstPage.pageInfo);
  const [sort, setSort] = useState<Sort | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rows = useMemo(() => sortTracks(tracks, sort), [tracks, sort]);

  async function loadMore(): Promise<void> {
    setLoading(true);
    const result = await runQuery(TracksQuery, { first: PAGE_SIZE, after: pageInfo.endCursor, filter: textFilter(text) });
    setLoading(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setError(null);
    setTracks((loaded) => [...loaded, ...result.data.tracks.edges.map((edge) => edge.node)]);
    setPageInfo(result.data.tracks.pageInfo);
  }

  if (tracks.length === 0) {
    return <p className={table.empty}>{text ? `No tracks match “${text}”.` : "The catalogue is empty: ingest some audio first."}</p>;
  }

  const onSort = (column: Sort["key"]) => setSort((current) => nextSort(current, column));
  return (
    <>
      <table className={table.table}>
        <caption>
          {tracks.length} of {firstPage.totalCount} tracks{sort && pageInfo.hasNextPage ? " (sorting the loaded ones)" : ""}
        </caption>
        <thead>
          <tr>
            <SortHeader label="Title" column="title" sort={sort} onSort={onSort} />
            <SortHeader label="Artist" column="artist" sort={sort} onSort={onSort} />
            <SortHeader label="Album" column="album" sort={sort} onSort={onSort} />
            <SortHeader label="Duration" column="duration" sort={sort} onSort={onSort} numeric />
          </tr>
        </thead>
        <tbody>
          {rows.map((track) => (
            <TrackRow key={track.id} track={track} />
          ))}
        </tbody>
      </table>
      {error && <ErrorBanner title="Could not load more tracks." message={error} />}
      {pageInfo.hasNextPage && (
        <button type="button" className={styles.loadMore} onClick={loadMore} disabled={loading}>
          {loading ? "Loading…" : "Load more"}
        </button>
      )}
    </>
  );
}
