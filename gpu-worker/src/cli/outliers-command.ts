import type { Command } from "commander";
import { runJob } from "../jobs/job.js";
import { runFeatures } from "../features/stage.js";
import { deriveExamples, type DeriveResult } from "../outliers/derive.js";
import { runOutliers, type OutliersResult } from "../outliers/stage.js";
import { MODEL_KINDS } from "../outliers/labels.js";
import { withDb } from "./with-db.js";
import { integer } from "./parse.js";

export function registerOutliersCommand(program: Command): void {
  const outliers = program
    .command("outliers")
    .summary("flag intros, outros, interludes, covers and remixes")
    .description(
      "flag intros, outros, interludes, covers and remixes: logistic regressions (one softmax over the album roles intro/outro/interlude, one each for cover and remix) over audio atypicality, " +
        "length, album position, loudness/silence/speech-likeness, CF-vs-audio neighbour agreement, title words, " +
        "near-duplicate audio and chroma cover matching (transposition- and tempo-invariant); trained on short tracks, derived remixes/covers and editors' verdicts; every track is " +
        "scored and flags with a verdict are never changed",
    )
    .option("--run <id>", "model run whose dense layer embeds spectrograms (default: newest READY run; none: log-mel statistics)", integer)
    .option("--seed <n>", "seed of the cross-validation folds that choose the regularisation", integer, 1)
    .action(async (opts: { run?: number; seed: number }) => {
      await withDb(async (db) => {
        const options = { seed: opts.seed, ...(opts.run !== undefined ? { modelRunId: opts.run } : {}) };
        const outcome = await runJob<never, OutliersResult>(db, { stage: "outliers", params: options }, (job) => runOutliers(db, job, options));
        const r = outcome.result;
        console.error(`outliers: ${r.tracks} tracks scored (${r.labelled} labelled); audio space: ${r.sources.audioSpace}; near-duplicates: ${r.sources.embedding}`);
        for (const kind of MODEL_KINDS) console.error(`  ${kind.padEnd(9)} ${String(r.flagged[kind]).padStart(5)} flagged (${r.positives[kind]} labelled examples)`);
        console.error(`  flags: ${r.created} new, ${r.updated} updated, ${r.removed} removed, ${r.kept} with a verdict left as they were`);
      });
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
