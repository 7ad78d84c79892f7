import type { ColourBy } from "./encode";
import { MAP_KINDS, type MapKind } from "./queries";

/** The camera: target in the map's [-1, 1] coordinates and distance (1 shows the whole map, smaller is closer). */
export interface MapView {
  x: number;
  y: number;
  z: number;
}

/**
 * What the map page keeps in its URL (?space=&colour=&view=x,y,z&track=&sel=&from=&to=), so a reload, Back or a
 * shared link opens the same map, zoomed the same way, with the same tracks picked. One reader, one writer.
 */
export interface MapUrlState {
  kind: MapKind;
  colourBy: ColourBy;
  view: MapView | null;
  /** Tracks to show selected and zoom to: ?track= from "show on map", or what the finder found. */
  focus: number[];
  selection: number[];
  /** The sonic path's ends, start first. */
  ends: number[];
}

type Params = Record<string, string | string[] | undefined>;

const COLOURINGS: readonly ColourBy[] = ["artist", "album", "cold", "flagged"];
/** Longer selections are dropped from the URL rather than making it unwieldy; the page keeps them. */
const MAX_IDS_IN_URL = 200;

const KIND_SLUGS: Record<MapKind, string> = { CF: "cf", PREDICTED_MIDDLE: "audio-middle", PREDICTED_WHOLE: "audio-whole" };

function ids(text: string): number[] {
  return text
    .split(",")
    .filter((part) => /^\d+$/.test(part))
    .map(Number)
    .slice(0, MAX_IDS_IN_URL);
}

export function mapStateFrom(params: Params | URLSearchParams): MapUrlState {
  const get = (name: string): string => {
    const value = params instanceof URLSearchParams ? params.get(name) : params[name];
    return typeof value === "string" ? value.trim() : "";
  };
  const kind = MAP_KINDS.find((k) => KIND_SLUGS[k.kind] === get("space"))?.kind ?? "CF";
  const colourBy = COLOURINGS.find((c) => c === get("colour")) ?? "artist";
  const [x, y, z] = get("view").split(",").map(Number);
  const view = x !== undefined && y !== undefined && z !== undefined && [x, y, z].every(Number.isFinite) && z > 0 ? { x, y, z } : null;
  return { kind, colourBy, view, focus: ids(get("track")), selection: ids(get("sel")), ends: ids(get("from")).slice(0, 1).concat(ids(get("to")).slice(0, 1)) };
}

export function mapSearch(state: MapUrlState): string {
  const params = new URLSearchParams();
  if (state.kind !== "CF") params.set("space", KIND_SLUGS[state.kind]);
  if (state.colourBy !== "artist") params.set("colour", state.colourBy);
  if (state.view) params.set("view", [state.view.x.toFixed(4), state.view.y.toFixed(4), state.view.z.toFixed(4)].join(","));
  if (state.focus.length > 0 && state.focus.length <= MAX_IDS_IN_URL) params.set("track", state.focus.join(","));
  if (state.selection.length > 0 && state.selection.length <= MAX_IDS_IN_URL) params.set("sel", state.selection.join(","));
  if (state.ends[0] !== undefined) params.set("from", String(state.ends[0]));
  if (state.ends[1] !== undefined) params.set("to", String(state.ends[1]));
  // Commas stay readable in the address bar.
  const query = params.toString().replaceAll("%2C", ",");
  return query ? `?${query}` : "";
}
