import { graphql, type Enum, type ResultOf } from "@/lib/gql";

export type MapKind = Enum<"FactorKind">;
export const MAP_KINDS: readonly { kind: MapKind; label: string }[] = [
  { kind: "CF", label: "Listeners (CF)" },
  { kind: "PREDICTED_MIDDLE", label: "Audio (middle 30 s)" },
  { kind: "PREDICTED_WHOLE", label: "Audio (whole track)" },
];

/** The spaces with a map that has points (the demo, for one, builds no whole-track map). */
export const MapKindsQuery = graphql(`
  query MapKinds {
    mapKinds
  }
`);

/** A map point as unpack.ts rebuilds it from the packed columns. */
export interface MapPoint {
  id: number;
  x: number;
  y: number;
  artistId: number;
  albumId: number | null;
  cold: boolean;
}

/** Base64 typed-array columns (see unpack.ts): 100k point objects took the API seconds to serialise. */
export const LatentMapQuery = graphql(`
  query LatentMap($kind: FactorKind!) {
    latentMap(kind: $kind) { layoutId method createdAt packed { count ids xs ys artistIds albumIds cold } }
  }
`);

type LatentMapResult = NonNullable<ResultOf<typeof LatentMapQuery>["latentMap"]>;
export type PackedMapPoints = LatentMapResult["packed"];
export type LatentMap = Omit<LatentMapResult, "packed"> & { points: MapPoint[] };

export type PathSpace = Enum<"PathSpace">;

/** Steps in a sonic path: both ends count, and the API answers at most 200. */
export const PATH_LENGTH = { min: 2, max: 200, initial: 10 } as const;

export const SonicPathQuery = graphql(`
  query SonicPath($from: Int!, $to: Int!, $length: Int!, $space: PathSpace!) {
    sonicPath(from: $from, to: $to, length: $length, space: $space) { t score track { id title artist { name } } }
  }
`);

export type PathStep = ResultOf<typeof SonicPathQuery>["sonicPath"][number];
