"use client";

import dynamic from "next/dynamic";
import { useEffect, useMemo, useState } from "react";
import { ErrorBanner } from "@/components/ErrorBanner";
import table from "@/components/table.module.css";
import { runQuery } from "@/lib/graphql";
import { useAudioPreview } from "@/lib/use-audio-preview";
import { ColourLegend } from "./ColourLegend";
import { categories, encodePoints, type ColourBy } from "./encode";
import { FlagLegend } from "./FlagLegend";
import { useFlaggedIds } from "./flagged";
import { HoverLabel } from "./HoverLabel";
import { MapFinder } from "./MapFinder";
import { MapControls } from "./MapControls";
import { PreviewToggle } from "./PreviewToggle";
import { LatentMapQuery, MapKindsQuery, type LatentMap, type MapKind } from "./queries";
import { SelectionPanel } from "./SelectionPanel";
import { SonicPathPanel } from "./SonicPathPanel";
import { unpackPoints } from "./unpack";
import { useHoverPreview } from "./use-hover-preview";
import { mapSearch, type MapUrlState, type MapView } from "./url-state";
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
 * load in the browser, not through the server render, so 100k points cross the network once. The space, colouring,
 * camera, focus, selection and path ends live in the URL (replaced as they change), so reload and Back keep them.
 */
export function MapWorkbench({ initial }: { initial: MapUrlState }) {
  const [kind, setKind] = useState<MapKind>(initial.kind);
  const [kinds, setKinds] = useState<MapKind[] | null>(null);
  const [colourBy, setColourBy] = useState<ColourBy>(initial.colourBy);
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  const [hover, setHover] = useState<{ id: number; at: { x: number; y: number } } | null>(null);
  const [selection, setSelection] = useState<number[]>(initial.selection);
  const [ends, setEnds] = useState<number[]>(initial.ends);
  const [path, setPath] = useState<number[]>([]);
  // What the map selects and zooms to: the URL's ?track= (show on map), then what the finder found.
  const [found, setFound] = useState<number[]>(initial.focus);
  const [view, setView] = useState<MapView | null>(initial.view);
  const [fitRequest, setFitRequest] = useState(0);
  const [lassoMode, setLassoMode] = useState(false);
  const [previews, setPreviews] = useState(false);
  const flagged = useFlaggedIds(colourBy === "flagged");
  const preview = useAudioPreview();
  useHoverPreview(preview, hover?.id ?? null, previews);

  // Only spaces whose map has points are offered; a URL naming another falls back to the first that has one.
  useEffect(() => {
    void runQuery(MapKindsQuery, {}).then((result) => {
      if (!result.ok) return;
      const available = result.data.mapKinds;
      setKinds(available);
      setKind((current) => (available.length === 0 || available.includes(current) ? current : available[0]!));
    });
  }, []);

  useEffect(() => {
    const search = mapSearch({ kind, colourBy, view, focus: found, selection, ends });
    if (search !== window.location.search) window.history.replaceState(null, "", `${window.location.pathname}${search}`);
  }, [kind, colourBy, view, found, selection, ends]);

  /** Back to the whole map with nothing picked: the way out of a Find, a lasso or a path. */
  function clearPicks(): void {
    setSelection([]);
    setEnds([]);
    setFound([]);
  }

  // Escape clears the path, the selection and the focus, except while typing in a form control.
  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      const typing = (event.target as HTMLElement | null)?.closest("input, textarea, select, [contenteditable='true']");
      if (event.key === "Escape" && !typing) clearPicks();
    }
    window.addEventListener("keyup", onKey);
    return () => window.removeEventListener("keyup", onKey);
  }, []);

  function switchKind(next: MapKind): void {
    // Points differ between spaces: picks and the camera of the old one mean nothing on the new map.
    setSelection([]);
    setEnds([]);
    setView(null);
    setKind(next);
  }

  useEffect(() => {
    let current = true;
    setLoaded({ state: "loading" });
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
  const focus = useMemo(() => found.flatMap((id) => encoded.indexOf.get(id) ?? []), [found, encoded]);
  const pathIndices = useMemo(() => path.flatMap((id) => encoded.indexOf.get(id) ?? []), [path, encoded]);

  function addToSelection(id: number): void {
    const next = selection.includes(id) ? selection : [...selection, id];
    setSelection(next);
    setFound(next);
  }

  function onPick(indices: number[]): void {
    const ids = indices.map((i) => encoded.ids[i]!);
    if (lassoMode) {
      // Select mode builds the selection up: a tap or click adds a point, a lasso adds its points (touch has no
      // Shift). The library's own deselects (a tap ends an empty lasso) are ignored; Reset, Esc and Clear empty it.
      if (ids.length === 1) addToSelection(ids[0]!);
      else if (ids.length > 1) setSelection((current) => [...new Set([...current, ...ids])]);
    } else if (ids.length === 1) {
      // Clicks collect the two ends of a path; a third click starts a new one.
      setEnds((current) => (current.length === 1 && current[0] !== ids[0] ? [current[0]!, ids[0]!] : [ids[0]!]));
      setSelection([]);
    } else {
      setSelection(ids);
    }
  }

  return (
    <>
      <MapControls kind={kind} kinds={kinds} onKind={switchKind} colourBy={colourBy} onColourBy={setColourBy}>
        <PreviewToggle enabled={previews} onEnabled={setPreviews} />
        <div className={styles.tools} role="group" aria-label="Map tools">
          <button type="button" className={styles.small} onClick={() => setFitRequest((n) => n + 1)}>
            Zoom to fit
          </button>
          <button type="button" className={styles.small} aria-pressed={lassoMode} onClick={() => setLassoMode((on) => !on)}>
            Select mode
          </button>
          <button
            type="button"
            className={styles.small}
            onClick={() => {
              clearPicks();
              setFitRequest((n) => n + 1);
            }}
          >
            Reset
          </button>
        </div>
      </MapControls>
      {colourBy === "flagged" ? <FlagLegend flagged={flagged} points={points} /> : <ColourLegend colourBy={colourBy} points={points} colours={colours} />}
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
            initialView={initial.focus.length > 0 ? null : initial.view}
            onView={setView}
            fitRequest={fitRequest}
            lassoMode={lassoMode}
          />
          {hover && <HoverLabel id={hover.id} at={hover.at} />}
          {loaded.state === "loading" && <p className={styles.loading}>Loading the map…</p>}
        </div>
        <aside className={styles.side}>
          <p className={styles.hint}>
            {points.length.toLocaleString("en")} tracks. Click two tracks for a sonic path · Shift-drag (or any drag in select mode) to lasso · scroll or pinch to zoom · Esc or Reset clears · or find a track by name, keyboard only.
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
          <SelectionPanel
            ids={selection}
            onClear={() => {
              setSelection([]);
              setFound([]);
            }}
          />
        </aside>
      </div>
    </>
  );
}
