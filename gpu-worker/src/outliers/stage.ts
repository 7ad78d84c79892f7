// `curator outliers`: scores every track for each kind (intro, outro, interlude, cover, remix) with models
// trained on the catalogue's labels and editors' verdicts, and flags those at or above the threshold.
//
// Every track is scored, not only those in today's lists: recommendation lists change with every listen and
// every user, the API filters any list by the flags (`user.recommendations(excludeFlagged: true)`), and a track
// that enters a list tomorrow is then already judged.
import type { Db } from "@curator/db/client.js";

import type { JobHandle } from "../jobs/job.js";
import { loadOutlierDataset } from "./dataset.js";
import { MODEL_KINDS, type ModelKind } from "./labels.js";
import { explainRow, FLAG_THRESHOLD, trainModels } from "./model.js";
import { writeFlags, type FlagScore, type WriteFlagsResult } from "./store.js";

export interface OutliersOptions {
  /** Model run whose dense layer embeds spectrograms (default: newest READY run). */
  modelRunId?: number;
  /** Seed of the cross-validation folds that pick each kind's regularisation. */
  seed?: number;
  /** Where chroma is cached (default the feature cache). */
  cacheDir?: string;
}

export interface OutliersResult extends WriteFlagsResult {
  tracks: number;
  labelled: number;
  positives: Record<ModelKind, number>;
  flagged: Record<ModelKind, number>;
  sources: { audioSpace: string; embedding: string; cfFactorSetId: number | null };
}

export async function runOutliers(db: Db, job: JobHandle<unknown>, options: OutliersOptions = {}): Promise<OutliersResult> {
  await job.progress(0, 1, "loading signals");
  const data = await loadOutlierDataset(db, {
    ...(options.modelRunId !== undefined ? { modelRunId: options.modelRunId } : {}),
    ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
    onBad: (item, reason) => job.bad(item, reason),
  });
  if (data.labelled.rows.length === 0) throw new Error("no labelled track with audio features: run `curator features --mode middle` first");
  const models = trainModels(data.signals, data.labelled, options.seed ?? 1);
  const scores: FlagScore[] = [];
  const flagged = Object.fromEntries(MODEL_KINDS.map((k) => [k, 0])) as Record<ModelKind, number>;
  data.tracks.forEach((track, row) => {
    for (const model of models) {
      const explained = explainRow(model, data.signals, row);
      explained.scores.forEach((score, c) => {
        const kind = model.kinds[c]!;
        if (score >= FLAG_THRESHOLD) flagged[kind]++;
        scores.push({ trackId: track.id, kind, score, reason: score >= FLAG_THRESHOLD ? explained.reasons(kind) : "" });
      });
    }
  });
  const written = await writeFlags(db, scores, MODEL_KINDS, (s) => s >= FLAG_THRESHOLD, job.id, (done, total) => job.progress(done, total, "flags"));
  return {
    ...written,
    tracks: data.tracks.length,
    labelled: data.labelled.rows.length,
    positives: Object.fromEntries(models.flatMap((m) => m.kinds.map((kind, c) => [kind, m.positives[c]!]))) as Record<ModelKind, number>,
    flagged,
    sources: data.sources,
  };
}
