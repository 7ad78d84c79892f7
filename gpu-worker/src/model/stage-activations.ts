// `curator activations`: what a run's units respond to. For every first-layer filter (CONV1) the tracks ranked
// by its maximum and by its mean over time on the middle excerpt; for every unit of the last hidden dense layer
// (DENSE) the tracks ranked by its activation on the middle excerpt, stored under mode MAX (a dense unit has one
// value per excerpt, so there is no separate mean). Each CONV1 filter also gets a picture of its weights.
// Filters are upserted by (run, layer, index) without touching `name`, so editors' names survive re-runs.
import { join } from "node:path";

import type { ActivationMode as DbActivationMode, Db, FilterLayer } from "@curator/db/client.js";
import { vectorToBytes } from "@curator/db/factor-sets.js";

import { writeFileAtomic } from "../util/atomic-write.js";
import type { JobHandle } from "../jobs/job.js";
import { firstLayerKernel, rankUnits, trackActivations, type TrackActivations, type UnitRanking } from "./activations.js";
import { loadTensorflow } from "./backend.js";
import { loadFeatureInputs } from "./feature-inputs.js";
import { encodePng, filterMosaic } from "./filter-image.js";
import { findRun, loadRunModel } from "./run-record.js";
import { standardize } from "./standardize.js";
import { dataPaths } from "../paths.js";

export interface ActivationsStageOptions {
  runId?: number;
  /** Tracks kept per filter and mode. Default 50. */
  top?: number;
  /** Parent of the per-run picture folders. Default data/filters. */
  filterDir?: string;
}

export interface ActivationsStageResult {
  modelRunId: number;
  tracks: number;
  convFilters: number;
  denseUnits: number;
  imageDir: string;
}

export function filterImagePath(filterDir: string, runId: number, index: number): string {
  return join(filterDir, String(runId), `${index}.png`);
}

export async function runActivations(db: Db, job: JobHandle<unknown>, options: ActivationsStageOptions = {}): Promise<ActivationsStageResult> {
  const top = options.top ?? 50;
  if (!Number.isInteger(top) || top < 1) throw new Error(`--top must be a positive integer, got ${top}`);
  const filterDir = options.filterDir ?? dataPaths.filters();
  const { tf } = await loadTensorflow();
  const run = await findRun(db, options.runId);
  const { model, params } = await loadRunModel(tf, run);
  try {
    const inputs = await loadFeatureInputs(db, "MIDDLE", params.model.melBins, (item, reason) => job.bad(item, reason));
    const trackIds = [...inputs.frames.keys()];
    if (trackIds.length === 0) throw new Error("no track has cached middle features: run `curator features`");
    const tracks = trackIds.map((id) => standardize(inputs.frames.get(id)!, params.standardization));
    const acts = await trackActivations(tf, model, params.model, tracks);

    const kernel = firstLayerKernel(model);
    const [width, bins, filters] = kernel.shape;
    const imageDir = join(filterDir, String(run.id));
    await writeFileAtomic(join(imageDir, "mosaic.png"), encodePng(filterMosaic(kernel.values, kernel.shape)));
    const images: string[] = [];
    for (let f = 0; f < filters; f++) {
      const single = new Float32Array(width * bins);
      for (let j = 0; j < width * bins; j++) single[j] = kernel.values[j * filters + f]!;
      const path = filterImagePath(filterDir, run.id, f);
      await writeFileAtomic(path, encodePng(filterMosaic(single, [width, bins, 1])));
      images.push(path);
    }

    const units: { layer: FilterLayer; index: number; rankings: [DbActivationMode, UnitRanking][]; image?: string }[] = [];
    const [byMax, byMean] = [rankUnits(acts, "max", top), rankUnits(acts, "mean", top)];
    for (let f = 0; f < acts.filters; f++) units.push({ layer: "CONV1", index: f, rankings: [["MAX", byMax[f]!], ["MEAN", byMean[f]!]], image: images[f] });
    rankUnits(acts, "hidden", top).forEach((r, u) => units.push({ layer: "DENSE", index: u, rankings: [["MAX", r]] }));

    for (const [i, unit] of units.entries()) {
      const key = { modelRunId: run.id, layer: unit.layer, index: unit.index };
      const filter = await db.filter.upsert({
        where: { modelRunId_layer_index: key },
        create: { ...key, weightImage: unit.image ?? null },
        update: { weightImage: unit.image ?? null },
        select: { id: true },
      });
      await db.$transaction([
        db.filterActivation.deleteMany({ where: { filterId: filter.id } }),
        db.filterActivation.createMany({
          data: unit.rankings.flatMap(([mode, ranking]) =>
            ranking.ranked.map((r, rank) => ({ filterId: filter.id, mode, rank: rank + 1, trackId: trackIds[r.trackIndex]!, value: r.value })),
          ),
        }),
      ]);
      await job.progress(i + 1, units.length, `${unit.layer} ${unit.index}`);
    }
    await storeEmbeddings(db, run.id, trackIds, acts);
    return { modelRunId: run.id, tracks: trackIds.length, convFilters: acts.filters, denseUnits: acts.hiddenUnits, imageDir };
  } finally {
    model.dispose();
  }
}

/** Every track's activation vectors under the run, replaced in one transaction so readers never see a mix. */
async function storeEmbeddings(db: Db, modelRunId: number, trackIds: readonly number[], acts: TrackActivations): Promise<void> {
  const row = (values: Float32Array, width: number, i: number) => vectorToBytes(values.subarray(i * width, (i + 1) * width));
  const data = trackIds.map((trackId, i) => ({
    modelRunId,
    trackId,
    convMax: row(acts.convMax, acts.filters, i),
    convMean: row(acts.convMean, acts.filters, i),
    dense: row(acts.hidden, acts.hiddenUnits, i),
  }));
  await db.$transaction(async (tx) => {
    await tx.trackEmbedding.deleteMany({ where: { modelRunId } });
    for (let i = 0; i < data.length; i += 500) await tx.trackEmbedding.createMany({ data: data.slice(i, i + 500) });
  });
}
