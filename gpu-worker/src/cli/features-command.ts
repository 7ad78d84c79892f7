import type { Command } from "commander";
import { runJob } from "../jobs/job.js";
import { featureModes, runFeatures } from "../features/stage.js";
import { withDb } from "./with-db.js";
import { integer, oneOf } from "./parse.js";

export function registerFeaturesCommand(program: Command): void {
  program
    .command("features")
    .summary("log-mel spectrograms of every track, cached")
    .description("log-mel spectrograms (128 mel bands × 599 frames, middle excerpt and whole-track windows) for every track, cached")
    .option("--mode <mode>", "middle, whole or both", oneOf(["middle", "whole", "both"] as const), "both")
    .option("--concurrency <n>", "decode processes at once (default: one per core)", integer)
    .option("--cache-dir <dir>", "feature cache folder (default data/features)")
    .option("--picture-dir <dir>", "spectrogram pictures folder (default data/spectrograms)")
    .option("--resume", "continue the last unfinished run (finished tracks are always skipped)")
    .action(async (opts: { mode: "middle" | "whole" | "both"; concurrency?: number; cacheDir?: string; pictureDir?: string; resume?: boolean }) => {
      const modes = featureModes(opts.mode);
      await withDb(async (db) => {
        const outcome = await runJob(db, { stage: "features", params: { modes }, resume: opts.resume }, (job) =>
          runFeatures(db, job, { modes, concurrency: opts.concurrency, cacheDir: opts.cacheDir, pictureDir: opts.pictureDir }),
        );
        const r = outcome.result;
        console.error(`features: ${r.computed} tracks computed, ${r.skipped} already cached, ${r.failed} failed`);
      });
    });
}
