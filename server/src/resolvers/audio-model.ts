import { Arg, Ctx, Query, Resolver } from "type-graphql";
import type { CandidateQuality } from "@curator/worker/model/model-choice.js";
import { AudioModel, AudioModelKind, type ValidationQuality } from "../schema/audio-model.js";
import { PredictedMode } from "../schema/similarity.js";
import type { Context } from "../context.js";
import { activeAudioModel } from "../services/audio-model.js";
import { predictedKind } from "@curator/db/factor-sets.js";

const KIND = { convnet: AudioModelKind.CONVNET, "mfcc-baseline": AudioModelKind.MFCC_BASELINE, ensemble: AudioModelKind.ENSEMBLE } as const;

function quality(q: CandidateQuality | undefined): ValidationQuality | null {
  return q ? { auc: q.validationAuc ?? null, mse: q.validationMse } : null;
}

@Resolver(() => AudioModel)
export class AudioModelResolver {
  @Query(() => AudioModel, { nullable: true, description: "Which model backs the Audio space of a mode and how good it was on validation; null before `curator predict`." })
  async audioModel(
    @Ctx() { db }: Context,
    @Arg("mode", () => PredictedMode, { defaultValue: PredictedMode.MIDDLE }) mode: PredictedMode,
  ): Promise<AudioModel | null> {
    const info = await activeAudioModel(db, predictedKind(mode));
    if (!info) return null;
    const { record } = info;
    const chosen = record && (info.backing === "convnet" ? record.convnet : info.backing === "mfcc-baseline" ? record.baseline : undefined);
    return {
      factorSetId: info.factorSetId,
      kind: info.kind,
      modelRunId: info.modelRunId ?? null,
      backing: KIND[info.backing],
      decidedBy: record?.decidedBy ?? null,
      validationTracks: record?.validationTracks ?? null,
      validation: quality(chosen),
      convnetValidation: quality(record?.convnet),
      baselineValidation: quality(record?.baseline),
      calibration: info.calibration ?? null,
      caveat: info.caveat,
    };
  }
}
