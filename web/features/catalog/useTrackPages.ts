import { useCallback, useEffect, useRef, useState } from "react";
import { runQuery } from "@/lib/graphql";
import { PAGE_SIZE, TracksQuery, type CatalogTrack, type TrackFilter, type TrackOrder, type TrackPage } from "./queries";

interface Pages {
  /** The filter and order these pages were fetched with. */
  key: string;
  tracks: CatalogTrack[];
  endCursor: string | null;
  hasNextPage: boolean;
  totalCount: number;
}

function pagesOf(key: string, page: TrackPage, before: CatalogTrack[] = []): Pages {
  return { key, tracks: [...before, ...page.edges.map((e) => e.node)], ...page.pageInfo, totalCount: page.totalCount };
}

/**
 * The tracks loaded so far for a filter and order. `firstPage` is the server render's page for `initialFilter`
 * and `initialOrder`; any other filter or order starts again from the API. Responses for a filter or order the
 * user has since left are dropped, so a slow answer never overwrites a newer one.
 */
export function useTrackPages(
  firstPage: TrackPage,
  initialFilter: TrackFilter | null,
  initialOrder: TrackOrder | null,
  filter: TrackFilter | null,
  order: TrackOrder | null,
) {
  const key = JSON.stringify([filter ?? {}, order]);
  const [pages, setPages] = useState(() => pagesOf(JSON.stringify([initialFilter ?? {}, initialOrder]), firstPage));
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const wanted = useRef(key);
  const inFlight = useRef<string | null>(null);

  const fetchPage = useCallback(
    async (after: string | null, before: CatalogTrack[]) => {
      const requested = key;
      inFlight.current = requested;
      setLoading(true);
      const result = await runQuery(TracksQuery, { first: PAGE_SIZE, after, filter, orderBy: order });
      if (wanted.current !== requested) return;
      inFlight.current = null;
      setLoading(false);
      if (!result.ok) return setError(result.message);
      setError(null);
      setPages(pagesOf(requested, result.data.tracks, before));
    },
    [key, filter, order],
  );

  useEffect(() => {
    wanted.current = key;
    if (pages.key !== key) void fetchPage(null, []);
  }, [key, pages.key, fetchPage]);

  const current = pages.key === key;
  const loadMore = useCallback(() => {
    if (current && pages.hasNextPage && inFlight.current === null && !error) void fetchPage(pages.endCursor, pages.tracks);
  }, [current, pages, error, fetchPage]);

  return { ...pages, current, loading, error, loadMore };
}
