"use client";

import { useEffect, useRef } from "react";
import createScatterplot from "regl-scatterplot";
import { paletteFor, type ColourBy, type EncodedMap } from "./encode";
import styles from "./Map.module.css";

type Scatterplot = ReturnType<typeof createScatterplot>;

interface Props {
  map: EncodedMap;
  /** Palette index per point for the current colouring. */
  colours: Float32Array;
  colourBy: ColourBy;
  /** Point indices of the sonic path, in order; drawn as a line. */
  path: readonly number[];
  /** Points to select and zoom to: ?track=, a track found by search, a selection built from the keyboard. */
  focus: readonly number[];
  onHover(index: number | null, at: { x: number; y: number } | null): void;
  /** A click picks one point; a lasso picks many. */
  onPick(indices: number[]): void;
  /** Fired once the first frame with all points is drawn (the bench times it). */
  onDrawn(): void;
}

/** Big dots for a small catalogue, fine ones when 100k tracks would otherwise merge into one blot. */
function pointSize(n: number): number {
  return n < 1_000 ? 9 : n < 20_000 ? 5 : 3;
}

/**
 * Owns the WebGL scatter plot: created once per canvas, redrawn when the points or colours change. The library
 * draws click, lasso (Shift-drag), pan and zoom itself; this component only translates its events.
 */
export function ScatterCanvas({ map, colours, colourBy, path, focus, onHover, onPick, onDrawn }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const plot = useRef<Scatterplot | null>(null);
  const mouse = useRef<{ x: number; y: number } | null>(null);
  const drawing = useRef<Promise<void>>(Promise.resolve());
  // Handlers change every render; the plot's subscriptions read the latest through this ref.
  const handlers = useRef({ onHover, onPick, onDrawn });
  handlers.current = { onHover, onPick, onDrawn };

  useEffect(() => {
    const element = canvas.current!;
    const scatter = createScatterplot({
      canvas: element,
      pointSizeSelected: 3,
      pointOutlineWidth: 2,
      lassoColor: "#2f6fde",
      lassoInitiator: false,
      backgroundColor: "#ffffff",
      // The library's own Escape listens on the whole window, so Escape in the finder or a name field would
      // drop the selection too; ours leaves keys typed into form controls alone.
      deselectOnEscape: false,
    });
    plot.current = scatter;
    scatter.subscribe("pointOver", (index) => handlers.current.onHover(index, mouse.current));
    scatter.subscribe("pointOut", () => handlers.current.onHover(null, null));
    scatter.subscribe("select", ({ points }) => handlers.current.onPick(points));
    scatter.subscribe("deselect", () => handlers.current.onPick([]));
    const track = (event: MouseEvent) => {
      const box = element.getBoundingClientRect();
      mouse.current = { x: event.clientX - box.left, y: event.clientY - box.top };
    };
    const deselect = (event: KeyboardEvent) => {
      const typing = (event.target as HTMLElement | null)?.closest("input, textarea, select, [contenteditable='true']");
      if (event.key === "Escape" && !typing) scatter.deselect();
    };
    element.addEventListener("mousemove", track);
    window.addEventListener("keyup", deselect);
    return () => {
      window.removeEventListener("keyup", deselect);
      element.removeEventListener("mousemove", track);
      scatter.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    const scatter = plot.current;
    if (!scatter) return;
    // The library drops a draw issued while the previous one is still running, so a recolour that follows
    // closely (the flag colouring greys everything, then colours the flags once they load) waits its turn.
    drawing.current = drawing.current
      .then(() => scatter.set({ pointColor: paletteFor(colourBy), colorBy: "valueA", pointSize: pointSize(map.ids.length) }))
      .then(() => scatter.draw({ x: map.x, y: map.y, valueA: colours }))
      .then(() => handlers.current.onDrawn());
  }, [map, colours, colourBy]);

  useEffect(() => {
    const scatter = plot.current;
    if (!scatter) return;
    // An emptied focus (a cleared selection) clears what the library shows selected too.
    if (focus.length === 0) return scatter.deselect({ preventEvent: true });
    scatter.select([...focus], { preventEvent: true });
    void scatter.zoomToPoints([...focus], { padding: 2, transition: true });
  }, [focus, map]);

  useEffect(() => {
    const scatter = plot.current;
    if (!scatter) return;
    const segments = path.slice(1).map((to, i) => ({
      vertices: [
        [map.x[path[i]!]!, map.y[path[i]!]!],
        [map.x[to]!, map.y[to]!],
      ] as [number, number][],
      lineColor: "#1f2328",
      lineWidth: 2,
    }));
    void scatter.drawAnnotations(segments);
  }, [path, map]);

  return <canvas ref={canvas} className={styles.canvas} aria-label="Latent map: click a point, Shift-drag to lasso, scroll to zoom" />;
}
