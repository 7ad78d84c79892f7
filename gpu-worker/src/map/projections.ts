// The 2-D projections `curator map --method` offers: a new one is a module beside umap-layout.ts and one entry here.
import type { UmapOptions } from "./umap-layout.js";

/** The knobs `curator map` passes every projection; each reads those it has (a linear one ignores them all). */
export type ProjectionOptions = UmapOptions;

export interface Projection {
  /** What `curator map --help` says of it. */
  help: string;
  /**
   * n × d unit rows → n × 2 row-major coordinates; `onProgress(done, total)` is awaited as it goes. The layout row
   * records the projection by its key here.
   */
  layout(vectors: Float32Array, n: number, d: number, options: ProjectionOptions, onProgress?: (done: number, total: number) => Promise<void>): Promise<Float32Array>;
}

export const PROJECTIONS = {
  // Loaded when run: the stage's descriptor reads this table's names, and the API loads descriptors.
  umap: { help: "UMAP (McInnes et al. 2018): neighbourhoods kept, clusters spread", layout: async (...args) => (await import("./umap-layout.js")).umapLayout(...args) },
} as const satisfies Record<string, Projection>;

export type ProjectionName = keyof typeof PROJECTIONS;
