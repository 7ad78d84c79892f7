// `curator ensemble`: the mean of several model runs' predicted factors, stored as a new PREDICTED_MIDDLE and/or
// PREDICTED_WHOLE set and switched to, like `curator predict` does for one run. The members are each run's newest
// `curator predict` set of the mode; they must regress the same CF set. The stored spread is the members' mean
// MC-dropout spread. The set's model run (which the activations shown beside it come from) is the newest member.
import type { Db, FactorKind } from "@curator/db/client.js";
import { bytesToVector, predictedKind } from "@curator/db/factor-sets.js";

import type { JobHandle } from "../jobs/job.js";
import { removeAbandonedSets, writeFactorSet } from "../storage/factor-sets.js";
import { averagePredictions, type MemberPrediction } from "./ensemble.js";
import type { PredictMode } from "./stage-predict.js";

export interface EnsembleStageOptions {
  /** Two or more model runs, each with a `curator predict` set of every mode. */
  runIds: readonly number[];
  modes?: PredictMode[];
}

export interface EnsembleStageResult {
  runIds: number[];
  sets: { kind: FactorKind; factorSetId: number; tracks: number; members: number[] }[];
}

/** What `curator predict` records in a set's params (and the ensemble adds its members to). */
interface PredictedSetParams {
  modelRunId?: number;
  cfFactorSetId?: number;
  ensemble?: { modelRunIds: number[]; factorSetIds: number[] };
}

export async function runEnsemble(db: Db, job: JobHandle<unknown>, options: EnsembleStageOptions): Promise<EnsembleStageResult> {
  const runIds = [...new Set(options.runIds)].sort((a, b) => a - b);
  if (runIds.length < 2) throw new Error(`an ensemble needs at least two distinct model runs, got ${runIds.join(", ") || "none"}`);
  const sets: EnsembleStageResult["sets"] = [];
  for (const mode of options.modes ?? ["middle", "whole"]) {
    const kind = predictedKind(mode);
    const members = await Promise.all(runIds.map((runId) => memberSet(db, runId, kind)));
    const cfSets = new Set(members.map((m) => m.params.cfFactorSetId));
    if (cfSets.size > 1) {
      throw new Error(`${kind}: the runs regress different CF sets (${members.map((m) => `run #${m.runId}: #${m.params.cfFactorSetId}`).join(", ")}): their factors do not share axes`);
    }
    const dims = new Set(members.map((m) => m.dims));
    if (dims.size > 1) throw new Error(`${kind}: the runs predict different numbers of factors (${[...dims].join(", ")})`);
    const loaded = await Promise.all(members.map((m) => readPrediction(db, m.id, m.dims)));
    const mean = averagePredictions(loaded, members[0]!.dims);
    for (const [i, m] of members.entries()) {
      // The mean covers the tracks every member predicted: the rest of this member's are left out.
      const missing = loaded[i]!.trackIds.length - mean.trackIds.length;
      if (missing > 0) console.error(`ensemble: ${kind}: ${missing} tracks of run #${m.runId}'s set #${m.id} lack a prediction from another member: left out`);
    }
    await removeAbandonedSets(db, kind);
    const factorSetIds = members.map((m) => m.id);
    const factorSetId = await writeFactorSet(db, {
      kind,
      dims: members[0]!.dims,
      params: { modelRunId: runIds.at(-1), mode, cfFactorSetId: members[0]!.params.cfFactorSetId, ensemble: { modelRunIds: runIds, factorSetIds } },
      jobId: job.id,
      modelRunId: runIds.at(-1),
      trackIds: mean.trackIds,
      raw: mean.raw,
      spread: mean.spread,
    });
    await job.progress(sets.length + 1, (options.modes ?? ["middle", "whole"]).length, `${mode}: ${mean.trackIds.length} tracks`);
    sets.push({ kind, factorSetId, tracks: mean.trackIds.length, members: factorSetIds });
  }
  return { runIds, sets };
}

/** The run's newest finished `curator predict` set of `kind` (an ensemble set is no member). */
async function memberSet(db: Db, runId: number, kind: FactorKind) {
  const candidates = await db.factorSet.findMany({
    where: { kind, modelRunId: runId, status: { in: ["READY", "RETIRED"] } },
    orderBy: { id: "desc" },
    select: { id: true, dims: true, params: true },
  });
  for (const c of candidates) {
    const params = JSON.parse(c.params) as PredictedSetParams;
    if (!params.ensemble) return { runId, id: c.id, dims: c.dims, params };
  }
  throw new Error(`model run #${runId} has no ${kind} set: run \`curator predict --run ${runId}\` first`);
}

async function readPrediction(db: Db, factorSetId: number, dims: number): Promise<MemberPrediction> {
  const rows = await db.itemFactor.findMany({ where: { factorSetId }, orderBy: { trackId: "asc" }, select: { trackId: true, raw: true, spread: true } });
  const raw = new Float32Array(rows.length * dims);
  rows.forEach((r, i) => raw.set(bytesToVector(r.raw, dims), i * dims));
  const trackIds = Int32Array.from(rows, (r) => r.trackId);
  return rows.every((r) => r.spread !== null) ? { trackIds, raw, spread: Float32Array.from(rows, (r) => r.spread!) } : { trackIds, raw };
}
