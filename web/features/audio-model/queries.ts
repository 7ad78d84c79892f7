import { graphql, type Enum, type ResultOf } from "@/lib/gql";

export type AudioModelKind = Enum<"AudioModelKind">;

/** Which model scores the cold tracks (and backs the Audio column), with its plain-language caveat. */
export const AudioModelQuery = graphql(`
  query AudioModel {
    audioModel { backing modelRunId validation { auc } calibration { slope intercept } caveat }
  }
`);

export type AudioModelSummary = NonNullable<ResultOf<typeof AudioModelQuery>["audioModel"]>;

export const AUDIO_MODEL_NAMES: Record<AudioModelKind, string> = {
  CONVNET: "convnet",
  MFCC_BASELINE: "MFCC baseline",
  ENSEMBLE: "convnet ensemble",
};
