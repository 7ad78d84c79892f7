"use client";

import { useEffect, useState } from "react";
import { graphql, type ResultOf } from "@/lib/gql";
import { runQuery, type QueryResult } from "@/lib/graphql";

/** The API's largest page: six fields a row cost about 3,000, well under its limit of 10,000 per request. */
const FlaggedPage = graphql(`
  query FlaggedTracks($after: String) {
    tracks(filter: { flagged: true }, first: 500, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } }
  }
`);
type FlaggedPageData = ResultOf<typeof FlaggedPage>;

/** Every flagged track id, page by page: the packed map has no flag column, and a catalogue may flag thousands. */
async function fetchFlaggedIds(): Promise<Set<number>> {
  const ids = new Set<number>();
  let after: string | null = null;
  for (;;) {
    const result: QueryResult<FlaggedPageData> = await runQuery(FlaggedPage, { after });
    if (!result.ok) throw new Error(result.message);
    const { edges, pageInfo }: FlaggedPageData["tracks"] = result.data.tracks;
    for (const edge of edges) ids.add(edge.node.id);
    if (!pageInfo.hasNextPage || edges.length < 1) return ids;
    after = pageInfo.endCursor;
  }
}

export type FlaggedIds = { state: "idle" | "loading" } | { state: "error"; message: string } | { state: "ready"; ids: ReadonlySet<number> };

/** Fetched the first time the flag colouring is picked, then kept: flags change by review, not while browsing the map. */
export function useFlaggedIds(wanted: boolean): FlaggedIds {
  const [flagged, setFlagged] = useState<FlaggedIds>({ state: "idle" });
  const started = flagged.state !== "idle";

  useEffect(() => {
    if (!wanted || started) return;
    setFlagged({ state: "loading" });
    fetchFlaggedIds().then(
      (ids) => setFlagged({ state: "ready", ids }),
      (err: Error) => setFlagged({ state: "error", message: err.message }),
    );
  }, [wanted, started]);

  return flagged;
}
