"use client";

import { useEffect, useRef } from "react";
import createScatterplot from "regl-scatterplot";
import { paletteFor, type ColourBy, type EncodedMap } from "./encode";
import type { MapView } from "./url-state";
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
  /** The camera to restore on the first drawn map when nothing is focused (from the URL). */
  initialView: MapView | null;
  /** The camera after the user pans or zooms (debounced). */
  onView(view: MapView): void;
  /** Each change zooms the whole map into view (the "Zoom to fit" button bumps it). */
  fitRequest: number;
  /** Select mode: a plain drag (mouse or finger) draws a lasso instead of panning. */
  lassoMode: boolean;
}

const VIEW_SETTLE_MS = 300;
/** How close the camera comes to one focused track: a third of the whole map's width stays in view. */
const FOCUS_DISTANCE = 0.35;
/** A touch that moves less than this is a tap, not a lasso. */
const TAP_SLOP_PX = 4;

/** Big dots for a small catalogue, fine ones when 100k tracks would otherwise merge into one blot. */
function pointSize(n: number): number {
  return n < 1_000 ? 9 : n < 20_000 ? 5 : 3;
}

/**
 * Owns the WebGL scatter plot: created once per canvas, redrawn when the points or colours change. The library
 * draws click, lasso (Shift-drag, or any drag in select mode), pan and zoom itself; this component only
 * translates its events. Every call that names points (select, zoom) is queued behind the draw of the map those
 * points belong to: issued earlier, they index the previous map's points, which crashed the page on a space switch.
 */
export function ScatterCanvas({ map, colours, colourBy, path, focus, onHover, onPick, onDrawn, initialView, onView, fitRequest, lassoMode }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const plot = useRef<Scatterplot | null>(null);
  const mouse = useRef<{ x: number; y: number } | null>(null);
  const drawing = useRef<Promise<void>>(Promise.resolve());
  /** The URL's camera is applied once, to the first map with points. */
  const pendingView = useRef(initialView);
  /** The map the camera was last framed for: a new one is framed whole (or as the URL says). */
  const framed = useRef<EncodedMap | null>(null);
  const lasso = useRef(lassoMode);
  lasso.current = lassoMode;
  // Handlers change every render; the plot's subscriptions read the latest through this ref.
  const handlers = useRef({ onHover, onPick, onDrawn, onView });
  handlers.current = { onHover, onPick, onDrawn, onView };

  /**
   * The camera distance that shows the whole map: at distance 1 the canvas height spans [-1, 1], so a canvas
   * taller than wide (a phone) must step back until its width does.
   */
  function fitDistance(): number {
    const element = canvas.current;
    return element && element.clientWidth > 0 ? Math.max(1, element.clientHeight / element.clientWidth) : 1;
  }

  /**
   * Runs a step once every draw queued so far is done. A camera move's promise is not waited for: a transition
   * cut short by another never settles, and the draws queued behind it would wait forever.
   */
  function afterDraw(step: (scatter: Scatterplot) => unknown): void {
    const warn = (error: unknown) => console.warn("map:", error);
    drawing.current = drawing.current.then(() => {
      const scatter = plot.current;
      if (!scatter) return;
      try {
        const result = step(scatter);
        if (result instanceof Promise) result.catch(warn);
      } catch (error) {
        // Never thrown into React: it would unmount the page.
        warn(error);
      }
    });
  }

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
      // drop the selection too; the workbench handles Escape and leaves keys typed into form controls alone.
      deselectOnEscape: false,
    });
    plot.current = scatter;
    scatter.subscribe("pointOver", (index) => handlers.current.onHover(index, mouse.current));
    scatter.subscribe("pointOut", () => handlers.current.onHover(null, null));
    scatter.subscribe("select", ({ points }) => handlers.current.onPick(points));
    scatter.subscribe("deselect", () => handlers.current.onPick([]));
    let settle: ReturnType<typeof setTimeout> | undefined;
    scatter.subscribe("view", () => {
      clearTimeout(settle);
      settle = setTimeout(() => {
        const [x = 0, y = 0] = scatter.get("cameraTarget") as number[];
        handlers.current.onView({ x, y, z: scatter.get("cameraDistance") as number });
      }, VIEW_SETTLE_MS);
    });
    const track = (event: MouseEvent) => {
      const box = element.getBoundingClientRect();
      mouse.current = { x: event.clientX - box.left, y: event.clientY - box.top };
    };
    // The library listens to mouse events only, and a finger's drag sends none: in select mode a one-finger drag
    // is replayed as the mouse drag that draws a lasso, and a tap as a click (which then adds the point).
    // The library only starts a drag with the primary button held (buttons === 1).
    const asMouse = (type: string, at: { clientX: number; clientY: number }, target: EventTarget) =>
      target.dispatchEvent(
        new MouseEvent(type, { clientX: at.clientX, clientY: at.clientY, button: 0, buttons: type === "mouseup" || type === "click" ? 0 : 1, bubbles: true, cancelable: true, view: window }),
      );
    let touchStartAt: { clientX: number; clientY: number } | null = null;
    const touchStart = (event: TouchEvent) => {
      if (!lasso.current || event.touches.length !== 1) return;
      event.preventDefault();
      const touch = event.touches[0]!;
      touchStartAt = { clientX: touch.clientX, clientY: touch.clientY };
      asMouse("mousemove", touch, window);
      asMouse("mousedown", touch, element);
    };
    const touchMove = (event: TouchEvent) => {
      if (!lasso.current || !touchStartAt || event.touches.length !== 1) return;
      event.preventDefault();
      asMouse("mousemove", event.touches[0]!, window);
    };
    const touchEnd = (event: TouchEvent) => {
      const touch = event.changedTouches[0];
      if (!lasso.current || !touchStartAt || !touch) return;
      const tapped = Math.hypot(touch.clientX - touchStartAt.clientX, touch.clientY - touchStartAt.clientY) < TAP_SLOP_PX;
      touchStartAt = null;
      asMouse("mouseup", touch, window);
      if (tapped) asMouse("click", touch, element);
    };
    element.addEventListener("mousemove", track);
    element.addEventListener("touchstart", touchStart, { passive: false });
    element.addEventListener("touchmove", touchMove, { passive: false });
    element.addEventListener("touchend", touchEnd);
    return () => {
      clearTimeout(settle);
      element.removeEventListener("mousemove", track);
      element.removeEventListener("touchstart", touchStart);
      element.removeEventListener("touchmove", touchMove);
      element.removeEventListener("touchend", touchEnd);
      scatter.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.set({ mouseMode: lassoMode ? "lasso" : "panZoom" });
  }, [lassoMode]);

  useEffect(() => {
    const scatter = plot.current;
    if (!scatter) return;
    // The library drops a draw issued while the previous one is still running, so a recolour that follows
    // closely (the flag colouring greys everything, then colours the flags once they load) waits its turn.
    drawing.current = drawing.current
      .then(() => scatter.set({ pointColor: paletteFor(colourBy), colorBy: "valueA", pointSize: pointSize(map.ids.length) }))
      .then(() => scatter.draw({ x: map.x, y: map.y, valueA: colours }))
      .then(() => handlers.current.onDrawn())
      .catch((error: unknown) => console.warn("map:", error));
  }, [map, colours, colourBy]);

  useEffect(() => {
    if (map.ids.length === 0) return;
    afterDraw((scatter) => {
      // An emptied focus (a cleared selection) clears what the library shows selected too.
      const fresh = framed.current !== map;
      framed.current = map;
      if (focus.length === 0) {
        scatter.deselect({ preventEvent: true });
        canvas.current?.setAttribute("data-selected", "0");
        if (!fresh) return;
        const view = pendingView.current;
        pendingView.current = null;
        // A new map (another space) starts whole, unless the URL asked for a camera.
        return view ? scatter.zoomToLocation([view.x, view.y], view.z) : scatter.zoomToLocation([0, 0], fitDistance());
      }
      pendingView.current = null;
      scatter.select([...focus], { preventEvent: true });
      // Read by the browser tests: how many points the library really shows selected.
      canvas.current?.setAttribute("data-selected", String((scatter.get("selectedPoints") as number[]).length));
      // One track is shown with its neighbourhood around it; several are framed together.
      const only = focus.length === 1 ? focus[0]! : null;
      return only !== null
        ? scatter.zoomToLocation([map.x[only]!, map.y[only]!], FOCUS_DISTANCE * fitDistance(), { transition: true })
        : scatter.zoomToPoints([...focus], { padding: 2, transition: true });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- afterDraw reads refs only
  }, [focus, map]);

  useEffect(() => {
    if (fitRequest > 0) afterDraw((scatter) => scatter.zoomToLocation([0, 0], fitDistance(), { transition: true }));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- afterDraw reads refs only
  }, [fitRequest]);

  useEffect(() => {
    if (!plot.current) return;
    const segments = path.slice(1).map((to, i) => ({
      vertices: [
        [map.x[path[i]!]!, map.y[path[i]!]!],
        [map.x[to]!, map.y[to]!],
      ] as [number, number][],
      lineColor: "#1f2328",
      lineWidth: 2,
    }));
    afterDraw((plotted) => plotted.drawAnnotations(segments));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- afterDraw reads refs only
  }, [path, map]);

  return (
    <canvas
      ref={canvas}
      className={styles.canvas}
      data-mode={lassoMode ? "select" : "pan"}
      aria-label={lassoMode ? "Latent map in select mode: drag to lasso, tap or click a point to add it" : "Latent map: click a point, Shift-drag to lasso, scroll to zoom"}
    />
  );
}
