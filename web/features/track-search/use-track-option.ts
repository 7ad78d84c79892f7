"use client";

import { useEffect, useState } from "react";
import { runQuery } from "@/lib/graphql";
import { TrackById, type TrackOption } from "./queries";

export type TrackOptionState = { state: "loading" } | { state: "ready"; track: TrackOption | null; error: string | null };

/** A track named by id in a link (?seed=, ?from=), fetched so a picker can start with it picked. */
export function useTrackOption(id: number | null): TrackOptionState {
  const [loaded, setLoaded] = useState<TrackOptionState>(id === null ? { state: "ready", track: null, error: null } : { state: "loading" });
  useEffect(() => {
    if (id === null) return;
    let current = true;
    void runQuery(TrackById, { id }).then((result) => {
      if (!current) return;
      const track = result.ok ? result.data.track : null;
      setLoaded({ state: "ready", track, error: result.ok ? (track ? null : `Track ${id} does not exist.`) : result.message });
    });
    return () => {
      current = false;
    };
  }, [id]);
  return loaded;
}
