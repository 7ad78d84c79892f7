import type { StageDescriptor } from "../jobs/stage-descriptor.js";
import type { OutliersResult } from "./stage.js";

const options = {
  run: { type: "integer", arg: "id", min: 1, help: "model run whose dense layer embeds spectrograms (default: newest READY run; none: log-mel statistics)" },
  seed: { type: "integer", arg: "n", default: 1, help: "seed of the cross-validation folds that choose the regularisation" },
} as const;

/** `curator outliers`: intro, outro, interlude, cover and remix flags for every track (stage.ts). */
export const outliersStage: StageDescriptor<typeof options, OutliersResult> = {
  name: "outliers",
  summary: "flag intros, outros, interludes, covers and remixes",
  description:
    "flag intros, outros, interludes, covers and remixes: logistic regressions (one softmax over the album roles intro/outro/interlude, one each for cover and remix) over audio atypicality, " +
    "length, album position, loudness/silence/speech-likeness, CF-vs-audio neighbour agreement, title words, " +
    "near-duplicate audio and chroma cover matching (transposition- and tempo-invariant); trained on short tracks, derived remixes/covers and editors' verdicts; every track is " +
    "scored and flags with a verdict are never changed",
  queued: false,
  options,
  async run(db, job, { run, seed }) {
    const { runOutliers } = await import("./stage.js");
    return runOutliers(db, job as Parameters<typeof runOutliers>[1], { seed, ...(run !== undefined ? { modelRunId: run } : {}) });
  },
};
