// Which model backs a predicted factor set (the convnet or the MFCC baseline `curator train` chose on validation),
// how good it was there, and its calibration onto the CF scale: read from the set's params and its model run.
import type { Db, FactorKind } from "@curator/db/client.js";
import type { CfCalibration } from "@curator/worker/model/cf-calibration.js";
import type { AudioModelKind, AudioModelRecord } from "@curator/worker/model/model-choice.js";

export interface AudioModelInfo {
  factorSetId: number;
  kind: FactorKind;
  /** Undefined for an ensemble of runs. */
  modelRunId?: number;
  backing: AudioModelKind | "ensemble";
  /** The model run's record of the choice; undefined for runs trained before it existed, and for ensembles. */
  record?: AudioModelRecord;
  calibration?: CfCalibration;
  /** One plain sentence for the workbench: what the column comes from and how far to trust it. */
  caveat: string;
}

interface PredictedSetParams {
  modelRunId?: number;
  backing?: AudioModelKind;
  calibration?: CfCalibration;
  ensemble?: { modelRunIds: number[] };
}

/** The active set of a predicted kind, described; undefined when there is none. */
export async function activeAudioModel(db: Db, kind: FactorKind): Promise<AudioModelInfo | undefined> {
  const active = await db.activeFactorSet.findUnique({ where: { kind }, select: { factorSet: { select: { id: true, params: true, modelRunId: true } } } });
  return active ? describeSet(db, kind, active.factorSet) : undefined;
}

/** The calibration stored with a predicted set, if its model recorded one. */
export async function setCalibration(db: Db, factorSetId: number): Promise<CfCalibration | undefined> {
  const set = await db.factorSet.findUnique({ where: { id: factorSetId }, select: { params: true } });
  return set ? parseParams(set.params).calibration : undefined;
}

async function describeSet(db: Db, kind: FactorKind, set: { id: number; params: string; modelRunId: number | null }): Promise<AudioModelInfo> {
  const params = parseParams(set.params);
  if (params.ensemble) {
    return {
      factorSetId: set.id,
      kind,
      backing: "ensemble",
      caveat: `Mean of the convnet runs #${params.ensemble.modelRunIds.join(", #")}; an ensemble is not compared with the MFCC baseline on validation.`,
    };
  }
  const runId = params.modelRunId ?? set.modelRunId ?? undefined;
  const run = runId === undefined ? null : await db.modelRun.findUnique({ where: { id: runId }, select: { params: true } });
  const record = run ? (JSON.parse(run.params) as { audioModel?: AudioModelRecord }).audioModel : undefined;
  const backing = params.backing ?? record?.backing ?? "convnet";
  return {
    factorSetId: set.id,
    kind,
    ...(runId !== undefined ? { modelRunId: runId } : {}),
    backing,
    ...(record ? { record } : {}),
    ...(params.calibration ? { calibration: params.calibration } : {}),
    caveat: caveat(backing, record),
  };
}

function parseParams(text: string): PredictedSetParams {
  try {
    return JSON.parse(text) as PredictedSetParams;
  } catch {
    return {};
  }
}

const auc = (value: number | undefined) => (value === undefined ? "unknown" : value.toFixed(2));

/**
 * Chance is 0.5; below about 0.6 a ranking is closer to a coin toss than to a recommendation. The sentence does not
 * name the model (AudioModel.backing does), so a page can lead with the name.
 */
function caveat(backing: AudioModelKind, record: AudioModelRecord | undefined): string {
  if (!record) {
    return backing === "convnet"
      ? "Trained before runs were compared with the MFCC baseline: how well it ranks unseen tracks is unknown."
      : "Its run recorded no validation figures: how well it ranks unseen tracks is unknown.";
  }
  const chosen = backing === "convnet" ? record.convnet : record.baseline;
  const other = backing === "convnet" ? record.baseline : record.convnet;
  const otherName = backing === "convnet" ? "the MFCC bag-of-words baseline" : "the convnet";
  const why =
    record.decidedBy === "forced"
      ? `Chosen by hand (validation AUC ${auc(chosen.validationAuc)}, ${otherName} ${auc(other.validationAuc)}; 0.5 is chance).`
      : `It ranked ${record.validationTracks} held-out tracks better than ${otherName} did (AUC ${auc(chosen.validationAuc)} against ${auc(other.validationAuc)}; 0.5 is chance).`;
  const weak = chosen.validationAuc !== undefined && chosen.validationAuc < 0.6 ? " That is close to chance: treat audio-only suggestions as a guess." : "";
  const few = record.validationTracks < 20 ? ` ${record.validationTracks} tracks is a small test, so the figure is rough.` : "";
  return `${why}${few}${weak}`;
}
