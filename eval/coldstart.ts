/**
 * `npm run eval -- coldstart`: Table 1 of van den Oord, Dieleman & Schrauwen (NIPS 2013) on our data. The test
 * tracks are the cold ones (all their listens held out, zero CF factors, never seen by `curator train`). Every
 * user with at least one held-out listen ranks the test tracks by user factor · item factor, where the user
 * factors are the active CF set's (fitted without the held-out listens) and the item factors come from each
 * method; mAP@500 and AUC against the held-out listens are reported for:
 *   random; MFCC bag-of-words + ridge regression; the same + MLP; the convnet (active PREDICTED_MIDDLE and
 *   PREDICTED_WHOLE sets, from `curator predict`, or `curator ensemble` of several runs); and the upper bound:
 *   WMF on all listens, held-out ones included (fitted here with the active set's ALS options; the active set is
 *   not touched). Two metadata oracles, not content models, show the ceiling the simulated listens leave: each test
 *   track gets the mean unit CF factors of the training tracks of its album (or its style, on the Debian corpus).
 * Scoring: the content models regress *unit-normalised* CF factors, so their outputs are used as they are, with a
 * plain dot product: the regression output is the linear estimate of user · unit item factor, and a short output
 * (the model unsure, shrinking towards the mean) scores low. Renormalising them to unit length (cosine) would
 * inflate exactly the unsure predictions; the JSON line carries the cosine figures of the convnet too. The upper
 * bound uses raw WMF factors (as the paper), whose norms also carry popularity, and, as the ceiling of a unit-factor
 * regression, the same factors normalised ("unit"). Needs: `curator factorize`, `features`, `train`, `predict`.
 */
import { openDb, type FactorKind } from "@curator/db/client.js";
import { buildInteractions } from "@curator/worker/factorize/sparse.js";
import { fitAls, type AlsOptions } from "@curator/worker/factorize/als.js";
import { normalizeRows } from "@curator/db/factor-sets.js";
import { rankingQuality, rankingUsers } from "@curator/worker/evaluation/ranking-quality.js";
import { groupMeans } from "@curator/worker/evaluation/group-means.js";
import { styleOfAlbumSource } from "@curator/worker/ingest/corpus/packages.js";
import { loadActiveFactorSet } from "@curator/worker/storage/factor-sets.js";
import { loadFeatureInputs } from "@curator/worker/model/feature-inputs.js";
import { loadTensorflow } from "@curator/worker/model/backend.js";
import { mulberry32 } from "@curator/worker/util/random.js";
import { bagOfWordsFeatures, MLP_DEFAULTS, mfccFromLogMel, mlpBaseline, ridgeBaseline, rowsOf } from "./support/content-baselines.js";
import { fitMfccBaseline, predictMfccBaseline } from "@curator/worker/model/mfcc-baseline.js";
import { report, type Row } from "./support/report.js";
import { runAlbumSplit } from "./support/album-split.js";

const WORDS = 256;
const FRAME_STRIDE = 4;

// `--split album` (eval/support/album-split.ts): whole albums held out, folds and seeds; the default is this file's track split.
// `--fast` leaves out the MLP baseline (most of the baselines' time): what `npm run demo` runs to fill the Evaluations page.
const args = process.argv.slice(2);
const fast = args.includes("--fast");
const split = args.includes("--split") ? args[args.indexOf("--split") + 1] : "track";
if (split !== "track" && split !== "album") throw new Error(`--split must be track or album, got ${split}`);
if (split === "album") {
  const albumDb = openDb();
  try {
    await runAlbumSplit(albumDb, args);
  } finally {
    await albumDb.$disconnect();
  }
  process.exit(0);
}

const db = openDb();
try {
  const cf = await loadActiveFactorSet(db, "CF", true);
  if (!cf?.users) throw new Error("no active CF factor set with user factors: run `npx curator factorize` first");
  const k = cf.dims;
  const row = new Map(Array.from(cf.trackIds, (id, i) => [id, i]));
  const heldOut = await db.listen.findMany({ where: { heldOut: true }, select: { userId: true, trackId: true } });
  const cold = new Set(heldOut.map((l) => l.trackId).filter((id) => cf.norms[row.get(id) ?? -1] === 0));
  const warmIds = Array.from(cf.trackIds).filter((_, i) => cf.norms[i]! > 0);

  const features = await loadFeatureInputs(db, "MIDDLE", 128, async (item, reason) => console.error(`coldstart: ${item} left out: ${reason}`));
  const predictedSets = await Promise.all((["PREDICTED_MIDDLE", "PREDICTED_WHOLE"] as FactorKind[]).map((kind) => loadActiveFactorSet(db, kind)));
  // Every method ranks the same tracks: a cold track some method has no factors for (no cached whole-track
  // windows, say) is left out of the test set, and said so.
  const covered = (id: number) => features.frames.has(id) && predictedSets.every((set) => !set || set.trackIds.includes(id));
  for (const id of cold) if (!covered(id)) console.error(`coldstart: cold track ${id} left out: no features or no predicted factors`);
  const testIds = [...cold].filter(covered).sort((a, b) => a - b);
  const trainIds = warmIds.filter((id) => features.frames.has(id));
  const testIndex = new Map(testIds.map((id, i) => [id, i]));
  const userRow = new Map(Array.from(cf.users.userIds, (id, i) => [id, i]));
  const plays = heldOut.flatMap((l) => {
    const candidate = testIndex.get(l.trackId);
    return candidate === undefined || !userRow.has(l.userId) ? [] : [{ user: l.userId, candidate }];
  });
  const { users, relevant, playedAll: allPlayed } = rankingUsers(plays, testIds.length);
  if (testIds.length < 2 || users.length === 0) throw new Error("no cold-start test set: ingest with held-out tracks (`curator ingest --simulate`) and factorize");
  const cfUsers = users.map((u) => cf.users!.raw.subarray(userRow.get(u)! * k, (userRow.get(u)! + 1) * k));

  /** mAP@500 and AUC of ranking the test tracks by user · item for every test user. */
  const evaluate = (items: Float32Array, userFactors: readonly Float32Array[] = cfUsers) => {
    const quality = rankingQuality(userFactors, items, k, relevant);
    return { "mAP@500": quality.map, AUC: quality.auc };
  };
  const unitRows = (m: Float32Array) => {
    const copy = Float32Array.from(m);
    normalizeRows(copy, copy.length / k, k);
    return copy;
  };

  const rows: Row[] = [];
  const extra: Record<string, number> = {};
  const noise = mulberry32(7);
  const randomItems = Float32Array.from({ length: testIds.length * k }, () => noise() - 0.5);
  rows.push({ model: "random", ...evaluate(randomItems), note: "" });

  // Content baselines: trained on every warm track (features and unit CF targets), never on a test track.
  const started = performance.now();
  const all = [...trainIds, ...testIds];
  const mfccs = all.map((id) => mfccFromLogMel(features.frames.get(id)!));
  const bow = bagOfWordsFeatures(mfccs, trainIds.map((_, i) => i), WORDS, FRAME_STRIDE);
  const xTrain = bow.subarray(0, trainIds.length * WORDS);
  const xTest = bow.subarray(trainIds.length * WORDS);
  const yTrain = unitRows(rowsOf(cf.raw, k, trainIds.map((id) => row.get(id)!)));
  const ridge = ridgeBaseline(xTrain, yTrain, trainIds.length, WORDS, k, xTest);
  rows.push({ model: "MFCC BoW + linear regression", ...evaluate(ridge.predictions), note: `ridge λ=${ridge.lambda} (5-fold CV)` });
  if (fast) console.error("coldstart: --fast, MFCC BoW + MLP left out");
  else {
    const { tf } = await loadTensorflow();
    const mlp = await mlpBaseline(tf, xTrain, yTrain, trainIds.length, WORDS, k, xTest);
    rows.push({ model: "MFCC BoW + MLP", ...evaluate(mlp.predictions), note: `${MLP_DEFAULTS.hidden} ReLU, dropout ${MLP_DEFAULTS.dropout}, L2 ${MLP_DEFAULTS.l2}, ${mlp.epochs} epochs` });
  }
  // The baseline `curator train` ships by default (model/mfcc-baseline.ts), the same code.
  const timbre = fitMfccBaseline(trainIds.map((id) => features.frames.get(id)!), yTrain, k, 128, "timbre-stats");
  rows.push({ model: "timbre statistics + linear regression", ...evaluate(predictMfccBaseline(timbre, testIds.map((id) => features.frames.get(id)!))), note: `z-scored, ridge λ=${timbre.lambda} (5-fold CV)` });
  console.error(`coldstart: bag-of-words baselines in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  for (const [i, kind] of (["PREDICTED_MIDDLE", "PREDICTED_WHOLE"] as FactorKind[]).entries()) {
    const set = predictedSets[i];
    // A run whose MFCC baseline ranked its validation tracks better ships that (model/model-choice.ts): the row
    // says so, and "shipped" below is what the workbench shows whichever model it is.
    const part = kind === "PREDICTED_MIDDLE" ? "middle excerpt" : "whole track";
    const name = `convnet (${part})`;
    if (!set) {
      console.error(`coldstart: no active ${kind} set: run \`npx curator train\` and \`npx curator predict\``);
      continue;
    }
    const params = JSON.parse((await db.factorSet.findUniqueOrThrow({ where: { id: set.id } })).params) as {
      modelRunId?: number;
      cfFactorSetId?: number;
      ensemble?: { modelRunIds: number[] };
      backing?: "convnet" | "mfcc-baseline";
    };
    if (params.cfFactorSetId !== cf.id) {
      console.error(`coldstart: ${kind} set #${set.id} was trained on CF set #${params.cfFactorSetId}, not the active #${cf.id}: left out`);
      continue;
    }
    const setRow = new Map(Array.from(set.trackIds, (id, i) => [id, i]));
    const predicted = rowsOf(set.raw, k, testIds.map((id) => setRow.get(id)!));
    const runs = params.ensemble ? `mean of model runs #${params.ensemble.modelRunIds.join(", #")}` : `model run #${params.modelRunId}`;
    const shipped = evaluate(predicted);
    if (params.backing === "mfcc-baseline") {
      rows.push({ model: `shipped: content baseline (${part})`, ...shipped, note: `${runs} chose its content baseline (model/mfcc-baseline.ts) on validation, dot` });
    } else rows.push({ model: name, ...shipped, note: `${runs}, dot` });
    if (kind === "PREDICTED_MIDDLE") extra.shipped_middle_AUC = shipped.AUC;
    const cosine = evaluate(unitRows(predicted));
    extra[`${kind}_cosine_mAP@500`] = cosine["mAP@500"];
    extra[`${kind}_cosine_AUC`] = cosine.AUC;
  }

  // Oracles: listens follow album and style (and a popularity nobody can hear), so the best a content model can do
  // is to recognise them from the audio. A test track with no training track of its album or style gets the mean.
  const tracks = await db.track.findMany({ where: { id: { in: all } }, select: { id: true, albumId: true, album: { select: { source: true } } } });
  const meta = new Map(tracks.map((t) => [t.id, { album: t.albumId, style: styleOfAlbumSource(t.album?.source ?? "") ?? null }]));
  for (const key of ["album", "style"] as const) {
    const keyOf = (id: number) => meta.get(id)![key];
    if (testIds.every((id) => keyOf(id) === null)) continue;
    const oracle = groupMeans(trainIds.map(keyOf), yTrain, testIds.map(keyOf), k);
    rows.push({ model: `oracle: mean factors of the ${key}`, ...evaluate(oracle.rows), note: `metadata, not audio; ${oracle.fellBack} of ${testIds.length} fell back to the mean` });
  }

  // Upper bound: WMF on all listens, held-out ones included, with the options of the active set.
  const cfParams = JSON.parse((await db.factorSet.findUniqueOrThrow({ where: { id: cf.id } })).params) as AlsOptions;
  const listens = await db.listen.findMany({ select: { userId: true, trackId: true, plays: true } });
  const trackRows = new Map(Array.from(cf.trackIds, (id, i) => [id, i]));
  const usable = listens.filter((l) => trackRows.has(l.trackId) && userRow.has(l.userId));
  const interactions = buildInteractions(
    Int32Array.from(usable, (l) => userRow.get(l.userId)!),
    Int32Array.from(usable, (l) => trackRows.get(l.trackId)!),
    Float32Array.from(usable, (l) => l.plays),
    cf.users.userIds.length,
    cf.trackIds.length,
  );
  const { iterations, regularization, alpha, scale, epsilon, cgSteps, seed, solver } = cfParams;
  // The set's own width: an imported set (`curator import-factors`) records no ALS options.
  const full = await fitAls(interactions, { factors: k, iterations, regularization, alpha, scale, epsilon, cgSteps, seed, solver });
  const trueItems = rowsOf(full.itemFactors, k, testIds.map((id) => trackRows.get(id)!));
  const trueUsers = users.map((u) => full.userFactors.subarray(userRow.get(u)! * k, (userRow.get(u)! + 1) * k));
  rows.push({ model: "upper bound (WMF on all listens)", ...evaluate(trueItems, trueUsers), note: "raw factors, dot" });
  rows.push({ model: "upper bound, unit item factors", ...evaluate(unitRows(trueItems), trueUsers), note: "ceiling of a unit-factor regression" });

  const value = (name: string, metric: "mAP@500" | "AUC") => rows.find((r) => String(r.model).startsWith(name))?.[metric] as number | undefined;
  const upper = value("upper bound (", "AUC")!;
  const albumOracle = value("oracle: mean factors of the album", "AUC");
  const bowLr = value("MFCC BoW + linear", "AUC")!;
  const conv = Math.max(value("convnet (middle", "AUC") ?? NaN, value("convnet (whole", "AUC") ?? NaN);
  const metrics = {
    users: users.length,
    usersWhoPlayedEveryTestTrack: allPlayed,
    testTracks: testIds.length,
    trainTracks: trainIds.length,
    factors: k,
    ...Object.fromEntries(rows.flatMap((r) => ["mAP@500", "AUC"].map((m) => [`${String(r.model).replace(/[^A-Za-z0-9]+/g, "_").replace(/_$/, "")}_${m}`, r[m]]))),
    ...extra,
    convnet_auc_over_upper: conv / upper,
    convnet_auc_minus_bow_lr: conv - bowLr,
    // The demo-subset target of issue 22: what the workbench shows against the best content baseline of this run.
    ...(extra.shipped_middle_AUC === undefined ? {} : { shipped_middle_minus_best_baseline: extra.shipped_middle_AUC - Math.max(bowLr, value("MFCC BoW + MLP", "AUC") ?? -Infinity, value("timbre statistics + linear", "AUC") ?? -Infinity) }),
    ...(albumOracle === undefined ? {} : { album_oracle_auc_over_upper: albumOracle / upper }),
  };
  await report(
    db,
    "coldstart",
    `Cold-start recommendation (NIPS 2013 Table 1): ${users.length} users (${allPlayed} more played every test track) rank ${testIds.length} held-out tracks; content models trained on ${trainIds.length} tracks, ${k} factors`,
    rows,
    metrics,
  );
} finally {
  await db.$disconnect();
}
