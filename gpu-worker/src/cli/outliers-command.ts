import type { Command } from "commander";
import { runJob } from "../jobs/job.js";
import { runFeatures } from "../features/stage.js";
import { deriveExamples, type DeriveResult } from "../outliers/derive.js";
import { outliersStage } from "../outliers/descriptor.js";
import { MODEL_KINDS } from "../outliers/labels.js";
import { withDb } from "./with-db.js";
import { registerStageCommand } from "./stage-command.js";
import { integer } from "./parse.js";

export function registerOutliersCommand(program: Command): void {
  const outliers = registerStageCommand(program, outliersStage, (_db, r) => {
    console.error(`outliers: ${r.tracks} tracks scored (${r.labelled} labelled); audio space: ${r.sources.audioSpace}; near-duplicates: ${r.sources.embedding}`);
    for (const kind of MODEL_KINDS) console.error(`  ${kind.padEnd(9)} ${String(r.flagged[kind]).padStart(5)} flagged (${r.positives[kind]} labelled examples)`);
    console.error(`  flags: ${r.created} new, ${r.updated} updated, ${r.removed} removed, ${r.kept} with a verdict left as they were`);
  });

  outliers
    .command("derive")
    .description(
      "make labelled remixes (tempo, pitch, EQ/filter/reversed segment/noise) and synthetic covers (pitch-shifted, re-timbred, " +
        "credited to a made-up artist) from real tracks with ffmpeg, stored with origin derived-remix/derived-cover; intros (a track's " +
        "opening with a fade-in, placed before its album's first track) and outros (its ending with a long fade-out, placed after the " +
        "last), one per album, origin derived-intro/derived-outro; then their middle log-mel",
    )
    .option("--remixes <n>", "remixes to make", integer, 40)
    .option("--covers <n>", "covers to make", integer, 30)
    .option("--intros <n>", "intros to make (one per album at most)", integer, 0)
    .option("--outros <n>", "outros to make (one per album at most)", integer, 0)
    .option("--seed <n>", "seed of the sources and recipes", integer, 2014)
    .action(async (opts: { remixes: number; covers: number; intros: number; outros: number; seed: number }) => {
      await withDb(async (db) => {
        const outcome = await runJob<never, DeriveResult>(db, { stage: "outliers-derive", params: opts }, (job) =>
          deriveExamples(db, { ...opts, onProgress: (done, total, item) => job.progress(done, total, item), onBad: (item, reason) => job.bad(item, reason) }),
        );
        const r = outcome.result;
        console.error(`outliers derive: ${r.created} made, ${r.existing} already there, ${r.failed} failed`);
        const features = await runJob(db, { stage: "features", params: { modes: ["MIDDLE"] } }, (job) => runFeatures(db, job, { modes: ["MIDDLE"] }));
        console.error(`features: ${features.result.computed} tracks computed, ${features.result.skipped} already cached, ${features.result.failed} failed`);
      });
    });
}
