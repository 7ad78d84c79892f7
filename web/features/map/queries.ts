import { gql } from "@urql/core";

export type MapKind = "CF" | "PREDICTED_MIDDLE" | "PREDICTED_WHOLE";
export const MAP_KINDS: readonly { kind: MapKind; label: string }[] = [
  { kind: "CF", label: "Listeners (CF)" },
  { kind: "PREDICTED_MIDDLE", label: "Audio (middle 30 s)" },
  { kind: "PREDICTED_WHOLE", label: "Audio (whole track)" },
];

/** The spaces with a map that has points (the demo, for one, builds no whole-track map). */
export const MapKindsQuery = gql<{ mapKinds: MapKind[] }, Record<string, never>>`
  query MapKinds {
    mapKinds
  }
`;

export interface MapPoint {
  id: number;
  x: number;
  y: number;
  artistId: number;
  albumId: number | null;
  cold: boolean;
}

/** Base64 typed-array columns (see unpack.ts): 100k point objects took the API seconds to serialise. */
export interface PackedMapPoints {
  count: number;
  ids: string;
  xs: string;
  ys: string;
  artistIds: string;
  albumIds: string;
  cold: string;
}

export interface LatentMap {
  layoutId: number;
  method: string;
  createdAt: string;
  points: MapPoint[];
}

export const LatentMapQuery = gql<{ latentMap: (Omit<LatentMap, "points"> & { packed: PackedMapPoints }) | null }, { kind: MapKind }>`
  query LatentMap($kind: FactorKind!) {
    latentMap(kind: $kind) { layoutId method createdAt packed { count ids xs ys artistIds albumIds cold } }
  }
`;

export interface PathStep {
  t: number;
  score: number;
  track: { id: number; title: string; artist: { name: string } };
}

export type PathSpace = "CF" | "AUDIO";

/** Steps in a sonic path: both ends count, and the API answers at most 200. */
export const PATH_LENGTH = { min: 2, max: 200, initial: 10 } as const;

export const SonicPathQuery = gql<{ sonicPath: PathStep[] }, { from: number; to: number; length: number; space: PathSpace }>`
  query SonicPath($from: Int!, $to: Int!, $length: Int!, $space: PathSpace!) {
    sonicPath(from: $from, to: $to, length: $length, space: $space) { t score track { id title artist { name } } }
  }
`;
