"use client";

import dynamic from "next/dynamic";
import { useEffect, useMemo, useState } from "react";
import { ErrorBanner } from "@/components/ErrorBanner";
import table from "@/components/table.module.css";
import { runQuery } from "@/lib/graphql";
import { useAudioPreview } from "@/lib/use-audio-preview";
import { categories, encodePoints, type ColourBy } from "./encode";
import { FlagLegend } from "./FlagLegend";
import { useFlaggedIds } from "./flagged";
import { HoverLabel } from "./HoverLabel";
import { MapFinder } from "./MapFinder";
import { MapControls } from "./MapControls";
import { PreviewToggle } from "./PreviewToggle";
import { LatentMapQuery, type LatentMap, type MapKind } from "./queries";
import { SelectionPanel } from "./SelectionPanel";
import { SonicPathPanel } from "./SonicPathPanel";
import { unpackPoints } from "./unpack";
import { useHoverPreview } from "./use-hover-preview";
import styles from "./Map.module.css";

// regl (under regl-scatterplot) reads `window` as its module loads, which fails in the server render of /map: the
// canvas is loaded in the browser only.
const ScatterCanvas = dynamic(() => import("./ScatterCanvas").then((m) => m.ScatterCanvas), { ssr: false });

/** Until the flags load every point is grey: better than colours that are about to change. */
const NONE: ReadonlySet<number> = new Set();

type Loaded = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; map: LatentMap | null };

/**
 * The latent map and what is picked on it. A single click sets the start of a sonic path, a second click its end;
 * a lasso selects many tracks (which can become a playlist). The finder does both from the keyboard. The points
 * load in the browser, not through the server render, so 100k points cross the network once.
 */
export function MapWorkbench({ focusTrack }: { focusTrack: number | null }) {
  const [kind, setKind] = useState<MapKind>("CF");
  const [colourBy, setColourBy] = useState<ColourBy>("artist");
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  const [hover, setHover] = useState<{ id: number; at: { x: number; y: number } } | null>(null);
  const [selection, setSelection] = useState<number[]>([]);
  const [ends, setEnds] = useState<number[]>([]);
  const [path, setPath] = useState<number[]>([]);
  // Set by the finder; until then the map focuses the track in the URL.
  const [found, setFound] = useState<number[] | null>(null);
  const [previews, setPreviews] = useState(false);
  const flagged = useFlaggedIds(colourBy === "flagged");
  const preview = useAudioPreview();
  useHoverPreview(preview, hover?.id ?? null, previews);

  useEffect(() => {
    let current = true;
    setLoaded({ state: "loading" });
    setSelection([]);
    setEnds([]);
    void runQuery(LatentMapQuery, { kind }).then((result) => {
      if (!current) return;
      if (!result.ok) return setLoaded({ state: "error", message: result.message });
      const map = result.data.latentMap;
      setLoaded({ state: "ready", map: map && { layoutId: map.layoutId, method: map.method, createdAt: map.createdAt, points: unpackPoints(map.packed) } });
    });
    return () => {
      current = false;
    };
  }, [kind]);

  const points = loaded.state === "ready" ? (loaded.map?.points ?? []) : [];
  const encoded = useMemo(() => encodePoints(points), [points]);
  const flaggedIds = flagged.state === "ready" ? flagged.ids : NONE;
  const colours = useMemo(() => categories(points, colourBy, flaggedIds), [points, colourBy, flaggedIds]);
  const focusIds = useMemo(() => found ?? (focusTrack === null ? [] : [focusTrack]), [found, focusTrack]);
  const focus = useMemo(() => focusIds.flatMap((id) => encoded.indexOf.get(id) ?? []), [focusIds, encoded]);
  const pathIndices = useMemo(() => path.flatMap((id) => encoded.indexOf.get(id) ?? []), [path, encoded]);

  function addToSelection(id: number): void {
    const next = selection.includes(id) ? selection : [...selection, id];
    setSelection(next);
    setFound(next);
  }

  function onPick(indices: number[]): void {
    const ids = indices.map((i) => encoded.ids[i]!);
    if (ids.length === 1) {
      // Clicks collect the two ends of a path; a third click starts a new one.
      setEnds((current) => (current.length === 1 && current[0] !== ids[0] ? [current[0]!, ids[0]!] : [ids[0]!]));
      setSelection([]);
    } else {
      setSelection(ids);
    }
  }

  return (
    <>
      <MapControls kind={kind} onKind={setKind} colourBy={colourBy} onColourBy={setColourBy}>
        <PreviewToggle enabled={previews} onEnabled={setPreviews} />
      </MapControls>
      {colourBy === "flagged" && <FlagLegend flagged={flagged} points={points} />}
      <audio ref={preview.ref} preload="none" aria-label="Track preview" {...preview.events} />
      {loaded.state === "error" && <ErrorBanner title="Could not load the map." message={loaded.message} />}
      {loaded.state === "ready" && !loaded.map && (
        <p className={table.empty}>No map of this kind yet: run `curator map` after the factors are trained.</p>
      )}
      <div className={styles.layout} hidden={loaded.state === "ready" && !loaded.map}>
        <div className={styles.stage} data-state={loaded.state} data-points={points.length} data-colour-by={colourBy}>
          <ScatterCanvas
            map={encoded}
            colours={colours}
            colourBy={colourBy}
            path={pathIndices}
            focus={focus}
            onHover={(index, at) => setHover(index === null || !at ? null : { id: encoded.ids[index]!, at })}
            onPick={onPick}
            onDrawn={() => {
              if (points.length > 0) performance.mark("map-drawn");
            }}
          />
          {hover && <HoverLabel id={hover.id} at={hover.at} />}
          {loaded.state === "loading" && <p className={styles.loading}>Loading the map…</p>}
        </div>
        <aside className={styles.side}>
          <p className={styles.hint}>
            {points.length.toLocaleString("en")} tracks. Click two tracks for a sonic path · Shift-drag to lasso · scroll to zoom · Esc clears · or find a track by name, keyboard only.
          </p>
          <MapFinder
            onMap={(id) => encoded.indexOf.has(id)}
            onFind={(id) => setFound([id])}
            hasStart={ends[0] !== undefined}
            onStart={(id) => setEnds(([, to]) => (to === undefined || to === id ? [id] : [id, to]))}
            onEnd={(id) => setEnds(([from]) => (from === undefined || from === id ? [id] : [from, id]))}
            onSelect={addToSelection}
          />
          <SonicPathPanel ends={ends} space={kind === "CF" ? "CF" : "AUDIO"} onPath={setPath} onClear={() => setEnds([])} />
          <SelectionPanel ids={selection} onClear={() => {
              setSelection([]);
              setFound([]);
            }}
          />
        </aside>
      </div>
    </>
  );
}
