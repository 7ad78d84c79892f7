// `curator map`: a 2-D layout (UMAP by default) of the active factor set of a kind, for the workbench's latent map.
import type { Db, FactorKind } from "@curator/db/client.js";
import type { JobHandle } from "../jobs/job.js";
import { rowsWithFactors } from "@curator/db/factor-sets.js";
import { loadActiveFactorSet } from "../storage/factor-sets.js";
import { PROJECTIONS, type ProjectionName, type ProjectionOptions } from "./projections.js";
import { writeLayout } from "./store.js";

export interface MapOptions extends ProjectionOptions {
  kind: FactorKind;
  /** Default "umap". */
  method?: ProjectionName;
}

export interface MapResult {
  layoutId: number;
  factorSetId: number;
  points: number;
  /** Tracks of the set with zero factors (no training listens, in a CF set): they have no place on the map. */
  withoutFactors: number;
}

/**
 * Lays out the unit factors, so distances reflect cosine, the similarity the rest of the system uses. Progress
 * counts the projection's steps (UMAP's epochs), then points written.
 */
export async function runMap(db: Db, job: JobHandle<never>, options: MapOptions): Promise<MapResult> {
  const set = await loadActiveFactorSet(db, options.kind);
  if (!set) throw new Error(`no active ${options.kind} factor set: run \`curator ${options.kind === "CF" ? "factorize" : "predict"}\` first`);
  const { vectors, trackIds } = rowsWithFactors(set);
  const count = trackIds.length;
  let epochs = 0;
  const { kind, method = "umap", ...params } = options;
  const xy = await PROJECTIONS[method].layout(vectors, count, set.dims, params, (done, total) => {
    epochs = total;
    return job.progress(done, total + count, method);
  });
  const layoutId = await writeLayout(
    db,
    { factorSetId: set.id, kind, method, params: { ...params, metric: "euclidean on unit vectors" }, trackIds, xy },
    (done) => job.progress(epochs + done, epochs + count, "points"),
  );
  return { layoutId, factorSetId: set.id, points: count, withoutFactors: set.trackIds.length - count };
}
