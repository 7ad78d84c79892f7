import type { FactorKind } from "@curator/db/client.js";
import type { StageDescriptor } from "../jobs/stage-descriptor.js";
import { PROJECTIONS, type ProjectionName } from "./projections.js";
import type { MapResult } from "./stage.js";

const SOURCES = { cf: "CF", "predicted-middle": "PREDICTED_MIDDLE", "predicted-whole": "PREDICTED_WHOLE" } as const satisfies Record<string, FactorKind>;

const options = {
  source: {
    type: "choice",
    arg: "set",
    choices: Object.keys(SOURCES) as (keyof typeof SOURCES)[],
    default: "cf",
    help: "cf (listening data) or predicted-middle / predicted-whole (the convnet's, covers cold tracks)",
  },
  method: {
    type: "choice",
    arg: "name",
    choices: Object.keys(PROJECTIONS) as ProjectionName[],
    default: "umap",
    help: Object.entries(PROJECTIONS)
      .map(([name, p]) => `${name}: ${p.help}`)
      .join("; "),
  },
  neighbors: { type: "integer", arg: "n", min: 1, default: 15, help: "UMAP neighbourhood size" },
  minDist: { type: "number", arg: "d", min: 0, default: 0.1, help: "UMAP minimum distance between points" },
  epochs: { type: "integer", arg: "n", min: 1, help: "optimisation epochs (default: 500 below 10 000 tracks, else 200)" },
  seed: { type: "integer", arg: "n", default: 0, help: "random seed: same seed and set, same map" },
} as const;

/** `curator map`: a 2-D layout of the active factor set of a kind (stage.ts). */
export const mapStage: StageDescriptor<typeof options, MapResult> = {
  name: "map",
  summary: "2-D latent map (UMAP) of a factor set",
  description: "2-D latent map (UMAP) of the active factor set → a map layout the workbench plots; replaces the previous one when complete",
  queued: false,
  options,
  async run(db, job, { source, neighbors, epochs, ...rest }) {
    const { runMap } = await import("./stage.js");
    return runMap(db, job as Parameters<typeof runMap>[1], { kind: SOURCES[source], nNeighbors: neighbors, ...rest, ...(epochs !== undefined ? { epochs } : {}) });
  },
};
