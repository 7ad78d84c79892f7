import type { FeatureMode } from "@curator/db/client.js";
import type { StageDescriptor } from "../jobs/stage-descriptor.js";
import type { FeaturesResult } from "./stage.js";

const options = {
  mode: { type: "choice", arg: "mode", choices: ["middle", "whole", "both"], default: "both", help: "middle, whole or both" },
  modes: { type: "list", arg: "list", choices: ["MIDDLE", "WHOLE"], help: "the modes as a job records them, e.g. MIDDLE,WHOLE (overrides --mode)" },
  concurrency: { type: "integer", arg: "n", min: 1, local: true, help: "decode processes at once (default: one per core)" },
  cacheDir: { type: "path", arg: "dir", local: true, help: "feature cache folder (default data/features)" },
  pictureDir: { type: "path", arg: "dir", local: true, help: "spectrogram pictures folder (default data/spectrograms)" },
} as const;

/** The feature modes a `--mode middle|whole|both` choice names. */
export function featureModes(choice: "middle" | "whole" | "both"): FeatureMode[] {
  return choice === "both" ? ["MIDDLE", "WHOLE"] : [choice === "middle" ? "MIDDLE" : "WHOLE"];
}

/** `curator features`: every track's log-mel spectrograms, cached (stage.ts). */
export const featuresStage: StageDescriptor<typeof options, FeaturesResult> = {
  name: "features",
  summary: "log-mel spectrograms of every track, cached",
  description: "log-mel spectrograms (128 mel bands × 599 frames, middle excerpt and whole-track windows) for every track, cached",
  resume: "continue the last unfinished run (finished tracks are always skipped)",
  queued: true,
  options,
  async run(db, job, { mode, modes, ...dirs }) {
    const { runFeatures } = await import("./stage.js");
    return runFeatures(db, job, { modes: modes ?? featureModes(mode), ...dirs });
  },
};
