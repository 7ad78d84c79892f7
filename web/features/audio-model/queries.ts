import { gql } from "@urql/core";

export type AudioModelKind = "CONVNET" | "MFCC_BASELINE" | "ENSEMBLE";

export interface AudioModelSummary {
  backing: AudioModelKind;
  modelRunId: number | null;
  validation: { auc: number | null } | null;
  calibration: { slope: number; intercept: number } | null;
  caveat: string;
}

/** Which model scores the cold tracks (and backs the Audio column), with its plain-language caveat. */
export const AudioModelQuery = gql<{ audioModel: AudioModelSummary | null }, Record<string, never>>`
  query AudioModel {
    audioModel { backing modelRunId validation { auc } calibration { slope intercept } caveat }
  }
`;

export const AUDIO_MODEL_NAMES: Record<AudioModelKind, string> = {
  CONVNET: "convnet",
  MFCC_BASELINE: "MFCC baseline",
  ENSEMBLE: "convnet ensemble",
};
