// `curator predict`: predicted CF factors for every track with cached features, cold-start ones included, from a
// run's kept checkpoint (train --keep), stored as PREDICTED_MIDDLE (centre excerpt) and/or PREDICTED_WHOLE (mean over
// consecutive windows) factor sets. Only new or changed tracks go through the network: a track whose cached
// features are older than the active set, which the same checkpoint and passes made, keeps its row from that set;
// the result is still a new set, switched to in one step when complete. The factors come from the deterministic network (dropout off); the spread is
// the mean per-dimension standard deviation of `passes` Monte Carlo dropout passes over the same windows, so
// tracks the network is unsure about can be shown as such. A run whose MFCC baseline ranked the validation tracks
// better (model-choice.ts) predicts with that instead (no spread: it has no dropout); either way the set's params
// name the model (`backing`) and carry its calibration onto the CF scale, which recommendations use.
import type { Db, FactorKind, FeatureMode } from "@curator/db/client.js";

import { bytesToVector, predictedKind } from "@curator/db/factor-sets.js";
import { FEATURE_PARAMS_HASH } from "../features/stage.js";
import type { JobHandle } from "../jobs/job.js";
import { removeAbandonedSets, writeFactorSet } from "../storage/factor-sets.js";
import type { Tf } from "./architecture.js";
import { loadTensorflow } from "./backend.js";
import { loadFeatureInputs } from "./feature-inputs.js";
import { predictExcerpts, predictWholeTracks, predictWithDropout } from "./predict.js";
import { backingCalibration } from "./model-choice.js";
import { loadMfccBaseline, predictMfccBaseline } from "./mfcc-baseline.js";
import { findRun, loadRunModel, runParams, type ModelRunRow, type RunModel } from "./run-record.js";
import { standardize } from "./standardize.js";
import { consecutiveStarts } from "./windows.js";

export type PredictMode = "middle" | "whole";

/** The cached log-mel a prediction mode reads: the centre excerpt, or the whole track's windows. */
export function predictFeatureMode(mode: PredictMode): FeatureMode {
  return mode === "middle" ? "MIDDLE" : "WHOLE";
}

export interface PredictStageOptions {
  /** Default: the newest READY run. */
  runId?: number;
  modes?: PredictMode[];
  /** MC dropout passes for the spread (≥ 2). Default 10. */
  passes?: number;
  batchSize?: number;
  /** Predict every track again, even those the active set already holds from the same checkpoint. */
  all?: boolean;
}

export interface PredictStageResult {
  modelRunId: number;
  /** `computed` tracks went through the network; the rest kept their rows from set `reusedFrom`. */
  sets: { kind: FactorKind; factorSetId: number; tracks: number; computed: number; reusedFrom: number | null }[];
}

/** What a predicted set was made from: a set made from the same can lend its rows to the next one. */
interface PredictionSource {
  modelRunId: number;
  checkpoint: string;
  mode: PredictMode;
  passes: number;
}

interface Reusable {
  setId: number;
  /** Track id → raw factors and spread, for tracks whose features have not changed since the set was made. */
  rows: Map<number, { raw: Float32Array; spread: number | null }>;
}

/**
 * The rows of the active set of `kind` that a new prediction from `source` may keep: only when that set came from
 * the same checkpoint, mode and passes, and only for tracks whose cached features predate it (features written
 * later mean new audio or new front-end parameters).
 */
async function reusableRows(db: Db, kind: FactorKind, source: PredictionSource): Promise<Reusable | undefined> {
  const active = await db.activeFactorSet.findUnique({ where: { kind }, include: { factorSet: true } });
  const set = active?.factorSet;
  if (!set || set.status !== "READY") return undefined;
  const made = JSON.parse(set.params) as Partial<PredictionSource>;
  if (made.modelRunId !== source.modelRunId || made.checkpoint !== source.checkpoint || made.mode !== source.mode || made.passes !== source.passes) {
    return undefined;
  }
  const unchanged = await db.featureCache.findMany({
    where: { mode: predictFeatureMode(source.mode), paramsHash: FEATURE_PARAMS_HASH, createdAt: { lte: set.createdAt } },
    select: { trackId: true },
  });
  const keep = new Set(unchanged.map((f) => f.trackId));
  const items = await db.itemFactor.findMany({ where: { factorSetId: set.id }, select: { trackId: true, raw: true, spread: true } });
  const rows = new Map<number, { raw: Float32Array; spread: number | null }>();
  for (const item of items) if (keep.has(item.trackId)) rows.set(item.trackId, { raw: bytesToVector(item.raw, set.dims), spread: item.spread });
  return { setId: set.id, rows };
}

// Tracks per forward chunk: bounds memory and lets the progress bar move.
const CHUNK = 32;

export async function runPredict(db: Db, job: JobHandle<unknown>, options: PredictStageOptions = {}): Promise<PredictStageResult> {
  const run = await findRun(db, options.runId);
  const passes = options.passes ?? 10;
  if (!Number.isInteger(passes) || passes < 2) throw new Error(`--passes must be an integer ≥ 2 (MC dropout needs two samples), got ${passes}`);
  if (runParams(run).audioModel?.backing === "mfcc-baseline") return predictWithBaseline(db, job, run, options.modes ?? ["middle", "whole"]);
  const { tf } = await loadTensorflow();
  const loaded = await loadRunModel(tf, run);
  const calibration = backingCalibration(loaded.params.audioModel);
  const sets: PredictStageResult["sets"] = [];
  try {
    for (const mode of options.modes ?? ["middle", "whole"]) {
      const kind = predictedKind(mode);
      const dims = loaded.params.model.outputDims;
      const source: PredictionSource = { modelRunId: run.id, checkpoint: loaded.checkpoint, mode, passes };
      const reusable = options.all ? undefined : await reusableRows(db, kind, source);
      const kept = reusable?.rows ?? new Map<number, { raw: Float32Array; spread: number | null }>();
      const allTracks = await db.track.findMany({ select: { id: true }, orderBy: { id: "asc" } });
      const toCompute = allTracks.map((t) => t.id).filter((id) => !kept.has(id));
      const inputs = await loadFeatureInputs(db, predictFeatureMode(mode), loaded.params.model.melBins, (item, reason) => job.bad(item, reason), toCompute);
      const computeIds = [...inputs.frames.keys()];
      const trackIds = [...kept.keys(), ...computeIds].sort((a, b) => a - b);
      if (trackIds.length === 0) throw new Error(`no track has cached ${mode} features: run \`curator features\``);
      const rowOf = new Map(trackIds.map((id, i) => [id, i]));
      const raw = new Float32Array(trackIds.length * dims);
      const spread = new Float32Array(trackIds.length);
      for (const [id, row] of kept) {
        raw.set(row.raw, rowOf.get(id)! * dims);
        spread[rowOf.get(id)!] = row.spread ?? 0;
      }
      for (let start = 0; start < computeIds.length; start += CHUNK) {
        const ids = computeIds.slice(start, start + CHUNK);
        const tracks = ids.map((id) => standardize(inputs.frames.get(id)!, loaded.params.standardization));
        const part = await predictChunk(tf, loaded, tracks, mode, passes, options.batchSize);
        ids.forEach((id, i) => {
          raw.set(part.factors.subarray(i * dims, (i + 1) * dims), rowOf.get(id)! * dims);
          spread[rowOf.get(id)!] = part.spread[i]!;
        });
        await job.progress(start + ids.length, computeIds.length, `${mode}: ${start + ids.length}/${computeIds.length} new or changed tracks`);
      }
      await removeAbandonedSets(db, kind);
      const factorSetId = await writeFactorSet(db, {
        kind,
        dims,
        params: {
          ...source,
          backing: "convnet",
          cfFactorSetId: loaded.params.cfFactorSetId,
          ...(calibration ? { calibration } : {}),
          reusedFrom: reusable?.setId ?? null,
          computed: computeIds.length,
        },
        jobId: job.id,
        modelRunId: run.id,
        trackIds,
        raw,
        spread,
      });
      sets.push({ kind, factorSetId, tracks: trackIds.length, computed: computeIds.length, reusedFrom: kept.size ? reusable!.setId : null });
    }
  } finally {
    loaded.model.dispose();
  }
  return { modelRunId: run.id, sets };
}

/** The content baseline the run chose (timbre statistics or bag-of-words), on the raw cached log-mel (whole mode: all the windows' frames). */
async function predictWithBaseline(db: Db, job: JobHandle<unknown>, run: ModelRunRow, modes: PredictMode[]): Promise<PredictStageResult> {
  const params = runParams(run);
  const record = params.audioModel!;
  const baseline = await loadMfccBaseline(record.baseline.file);
  const calibration = backingCalibration(record);
  const dims = params.model.outputDims;
  const sets: PredictStageResult["sets"] = [];
  for (const mode of modes) {
    const kind = predictedKind(mode);
    const inputs = await loadFeatureInputs(db, predictFeatureMode(mode), baseline.melBins, (item, reason) => job.bad(item, reason));
    const trackIds = [...inputs.frames.keys()];
    if (trackIds.length === 0) throw new Error(`no track has cached ${mode} features: run \`curator features\``);
    const raw = new Float32Array(trackIds.length * dims);
    for (let start = 0; start < trackIds.length; start += CHUNK) {
      const ids = trackIds.slice(start, start + CHUNK);
      raw.set(predictMfccBaseline(baseline, ids.map((id) => inputs.frames.get(id)!)), start * dims);
      await job.progress(start + ids.length, trackIds.length, `${mode} (MFCC baseline): ${start + ids.length}/${trackIds.length} tracks`);
    }
    await removeAbandonedSets(db, kind);
    const factorSetId = await writeFactorSet(db, {
      kind,
      dims,
      params: { modelRunId: run.id, backing: "mfcc-baseline", mode, baseline: record.baseline.file, cfFactorSetId: params.cfFactorSetId, ...(calibration ? { calibration } : {}) },
      jobId: job.id,
      modelRunId: run.id,
      trackIds,
      raw,
    });
    sets.push({ kind, factorSetId, tracks: trackIds.length, computed: trackIds.length, reusedFrom: null });
  }
  return { modelRunId: run.id, sets };
}

/** Factors and MC-dropout spreads of standardised tracks (one forward chunk). */
export async function predictChunk(
  tf: Tf,
  { model, params }: RunModel,
  tracks: Float32Array[],
  mode: PredictMode,
  passes: number,
  batchSize?: number,
): Promise<{ factors: Float32Array; spread: Float32Array }> {
  const options = params.model;
  if (mode === "middle") {
    const factors = await predictExcerpts(tf, model, options, tracks, { batchSize });
    const { spread } = await predictWithDropout(tf, model, options, tracks, { batchSize, passes });
    return { factors, spread };
  }
  const factors = await predictWholeTracks(tf, model, options, tracks, { batchSize });
  // Spread of the whole track: MC dropout on each of the windows predictWholeTracks averaged, then their mean.
  const windowSize = options.cropFrames * options.melBins;
  const owners: number[] = [];
  const windows = tracks.flatMap((track, t) =>
    consecutiveStarts(track.length / options.melBins, options.cropFrames).map((start) => {
      owners.push(t);
      return track.subarray(start * options.melBins, start * options.melBins + windowSize);
    }),
  );
  const perWindow = await predictWithDropout(tf, model, options, windows, { batchSize, passes });
  const spread = new Float32Array(tracks.length);
  const counts = new Float32Array(tracks.length);
  owners.forEach((t, w) => {
    spread[t]! += perWindow.spread[w]!;
    counts[t]! += 1;
  });
  return { factors, spread: spread.map((s, t) => s / counts[t]!) };
}
