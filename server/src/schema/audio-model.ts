import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { FactorKind } from "@curator/db/client.js";

export enum AudioModelKind {
  CONVNET = "CONVNET",
  MFCC_BASELINE = "MFCC_BASELINE",
  ENSEMBLE = "ENSEMBLE",
}
registerEnumType(AudioModelKind, {
  name: "AudioModelKind",
  description: "What predicts a track's factors from its audio.",
  valuesConfig: {
    CONVNET: { description: "The convnet on the log-mel spectrogram." },
    MFCC_BASELINE: { description: "The content baseline: z-scored timbre statistics (MFCC, deltas, mel contrast, flatness, flux) + ridge regression (runs before 2026-12-07: MFCC bag-of-words + ridge, NIPS 2013); it ranked the validation tracks better." },
    ENSEMBLE: { description: "The mean of several convnet runs (`curator ensemble`)." },
  },
});

@ObjectType({ description: "How well one candidate model ranked the run's validation tracks (tracks it was not trained on)." })
export class ValidationQuality {
  @Field(() => Float, { nullable: true, description: "Mean per-user AUC of ranking the validation tracks (0.5 is chance); null when no user played some but not all." })
  auc!: number | null;
  @Field(() => Float, { description: "Mean squared error against the validation tracks' unit CF factors." }) mse!: number;
}

@ObjectType({
  description:
    "Predicted scores onto the CF scale: cfScore ≈ slope · (user · predicted) + intercept, fitted by least squares over every (user, validation track) pair. " +
    "Cold tracks' recommendation scores are calibrated this way, so they compare with warm tracks'.",
})
export class ScoreCalibration {
  @Field(() => Float) slope!: number;
  @Field(() => Float) intercept!: number;
  @Field(() => Int, { description: "(user, track) pairs fitted on." }) pairs!: number;
  @Field(() => Float, { description: "Correlation of predicted and CF scores over those pairs." }) correlation!: number;
}

@ObjectType({ description: "The model behind the workbench's Audio column and cold-track recommendations: the active predicted factor set's." })
export class AudioModel {
  @Field(() => Int) factorSetId!: number;
  @Field(() => FactorKind) kind!: FactorKind;
  @Field(() => Int, { nullable: true, description: "Null for an ensemble." }) modelRunId!: number | null;
  @Field(() => AudioModelKind) backing!: AudioModelKind;
  @Field(() => String, { nullable: true, description: "How the run chose: \"validation AUC\", \"validation MSE\" (no user to rank for) or \"forced\" (`curator train --audio-model`)." })
  decidedBy!: string | null;
  @Field(() => Int, { nullable: true }) validationTracks!: number | null;
  @Field(() => ValidationQuality, { nullable: true, description: "The backing model's; null for runs trained before the comparison, and ensembles." })
  validation!: ValidationQuality | null;
  @Field(() => ValidationQuality, { nullable: true }) convnetValidation!: ValidationQuality | null;
  @Field(() => ValidationQuality, { nullable: true }) baselineValidation!: ValidationQuality | null;
  @Field(() => ScoreCalibration, { nullable: true, description: "Null: cold scores use the older rule (unit prediction × the median warm norm)." })
  calibration!: ScoreCalibration | null;
  @Field({ description: "One plain sentence for people: which model, how it did on validation, how far to trust it." }) caveat!: string;
}
