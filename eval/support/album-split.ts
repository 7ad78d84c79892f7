/**
 * `npm run eval -- coldstart --split album`: the cold start of a new release. Whole albums are held out: their
 * listens are left out of the factorisation (ALS refitted per fold with the active set's options) and their tracks
 * out of every content model's training, so no album mate of a test track is ever seen. Albums are dealt into
 * `--folds` folds (several albums each), every fold is held out in turn, for each of `--seeds` seeds (the deal, the
 * split and the networks' initialisation). Every user with a listen of a held-out track ranks the held-out tracks by
 * user factor · item factor (AUC, mAP@500 as in the track split). "Sounds alike": among the held-out tracks, how
 * often a same-album pair is closer (cosine) than an other-album pair (a pair AUC) in each method's space.
 * Methods: random; MFCC bag-of-words + ridge / + MLP (NIPS 2013); the z-scored mean and spread of 20 MFCCs and
 * of the 128 log-mel bands + ridge; the timbre statistics + ridge (`curator train`'s baseline, the same code); the style oracle (metadata); the convnet from random weights and fine-tuned
 * from the pretrained encoder (`--encoder`, default the shipped one; `--no-convnet` skips both); a ridge on the
 * encoder's frozen embedding (its last hidden layer), and that embedding itself for "sounds alike".
 * The encoder was pretrained on every track's audio, held-out albums included: self-supervised, no listens, as
 * `curator pretrain` is meant to be run on a catalogue, new releases included.
 */
import type { Db } from "@curator/db/client.js";
import { buildInteractions } from "@curator/worker/factorize/sparse.js";
import { fitAls, type AlsOptions } from "@curator/worker/factorize/als.js";
import { normalizeRows } from "@curator/db/factor-sets.js";
import { rankingQuality, rankingUsers } from "@curator/worker/evaluation/ranking-quality.js";
import { groupMeans } from "@curator/worker/evaluation/group-means.js";
import { styleOfAlbumSource } from "@curator/worker/ingest/corpus/packages.js";
import { loadActiveFactorSet } from "@curator/worker/storage/factor-sets.js";
import { loadFeatureInputs } from "@curator/worker/model/feature-inputs.js";
import { loadTensorflow } from "@curator/worker/model/backend.js";
import { modelOptions, type ModelOptions, type Tf } from "@curator/worker/model/architecture.js";
import { copyEncoderWeights, defaultEncoder, loadEncoder, type LoadedEncoder } from "@curator/worker/model/encoder.js";
import { forwardWindows, centreWindows, predictExcerpts } from "@curator/worker/model/predict.js";
import { fitStandardizer, standardize, type Standardizer } from "@curator/worker/model/standardize.js";
import { DEFAULT_CROPS_PER_EPOCH, DEFAULT_PRESET, splitTracks } from "@curator/worker/model/stage-train.js";
import { TRAINING_DEFAULTS } from "@curator/worker/model/schedule.js";
import { inMemoryProvider, train } from "@curator/worker/model/train.js";
import { Rng } from "@curator/worker/util/random.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Tensor } from "@tensorflow/tfjs";

import { baselineInputs, fitMfccBaseline, predictMfccBaseline } from "@curator/worker/model/mfcc-baseline.js";
import { bagOfWordsFeatures, MLP_DEFAULTS, mfccFromLogMel, mlpBaseline, ridgeBaseline, rowsOf } from "./content-baselines.js";
import { report, type Row } from "./report.js";

const WORDS = 256;
const FRAME_STRIDE = 4;

interface Outcome {
  AUC: number;
  "mAP@500": number;
  /** Same-album vs other-album pair AUC by cosine among the held-out tracks; NaN where the method has no space. */
  soundsAlike: number;
}

export async function runAlbumSplit(db: Db, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      split: { type: "string" },
      folds: { type: "string", default: "5" },
      seeds: { type: "string", default: "3" },
      epochs: { type: "string", default: String(TRAINING_DEFAULTS.epochs) },
      crops: { type: "string", default: String(DEFAULT_CROPS_PER_EPOCH) },
      encoder: { type: "string" },
      "no-convnet": { type: "boolean", default: false },
    },
  });
  const folds = positive("--folds", values.folds);
  const seeds = positive("--seeds", values.seeds);
  const epochs = positive("--epochs", values.epochs);
  const crops = positive("--crops", values.crops);
  const { tf } = await loadTensorflow();
  const encoderPath = values.encoder ?? defaultEncoder();
  const encoder = encoderPath === undefined ? undefined : await loadEncoder(tf, encoderPath);

  const cf = await loadActiveFactorSet(db, "CF", true);
  if (!cf?.users) throw new Error("no active CF factor set with user factors: run `npx curator factorize` first (its ALS options are refitted per fold)");
  const k = cf.dims;
  const alsOptions = JSON.parse((await db.factorSet.findUniqueOrThrow({ where: { id: cf.id } })).params) as AlsOptions;
  const features = await loadFeatureInputs(db, "MIDDLE", 128, async (item, reason) => console.error(`coldstart: ${item} left out: ${reason}`));
  const tracks = (await db.track.findMany({ select: { id: true, albumId: true, album: { select: { source: true } } }, orderBy: { id: "asc" } })).filter(
    (t) => features.frames.has(t.id) && t.albumId !== null,
  );
  const ids = tracks.map((t) => t.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const album = tracks.map((t) => t.albumId!);
  const style = tracks.map((t) => styleOfAlbumSource(t.album?.source ?? "") ?? null);
  const albums = [...new Set(album)].sort((a, b) => a - b);
  if (albums.length < folds) throw new Error(`${albums.length} albums cannot make ${folds} folds`);
  const listens = (await db.listen.findMany({ select: { userId: true, trackId: true, plays: true } })).filter((l) => index.has(l.trackId));
  const userIds = [...new Set(listens.map((l) => l.userId))].sort((a, b) => a - b);
  const userRow = new Map(userIds.map((id, i) => [id, i]));

  // Features every fold shares: MFCC statistics, log-mel statistics, the encoder's frozen embedding.
  const frames = ids.map((id) => features.frames.get(id)!);
  const mfccs = frames.map((f) => mfccFromLogMel(f));
  const mfccStats = statistics(mfccs.map((m) => ({ data: m.data, width: m.nMfcc })));
  const melStats = statistics(frames.map((f) => ({ data: f, width: 128 })));
  const embedding = encoder ? await encoderEmbedding(tf, encoder, frames) : undefined;

  const results = new Map<string, Outcome[]>();
  const add = (name: string, outcome: Outcome) => (results.get(name) ?? results.set(name, []).get(name)!).push(outcome);
  const started = performance.now();
  for (let seed = 1; seed <= seeds; seed++) {
    const deal = new Rng(seed * 7919).shuffle([...albums]);
    const perSeed = new Map<string, Outcome[]>();
    for (let fold = 0; fold < folds; fold++) {
      const held = new Set(deal.filter((_, i) => i % folds === fold));
      const test = ids.map((_, i) => i).filter((i) => held.has(album[i]!));
      const rest = ids.map((_, i) => i).filter((i) => !held.has(album[i]!));
      const foldStarted = performance.now();
      const outcomes = await runFold({ tf, k, alsOptions, listens, userIds, userRow, index, ids, test, rest, album, style, frames, mfccs, mfccStats, melStats, embedding, encoder, seed, epochs, crops, convnet: !values["no-convnet"] });
      for (const [name, outcome] of outcomes) (perSeed.get(name) ?? perSeed.set(name, []).get(name)!).push(outcome);
      const brief = [...outcomes].map(([name, o]) => `${name} ${o.AUC.toFixed(3)}/${o.soundsAlike.toFixed(3)}`).join("; ");
      console.error(`coldstart: seed ${seed} fold ${fold + 1}/${folds}: ${held.size} albums, ${test.length} held-out tracks, ${((performance.now() - foldStarted) / 1000).toFixed(0)} s; AUC/sounds alike: ${brief}`);
    }
    // A seed's figure is the mean over its folds: every album held out once.
    for (const [name, list] of perSeed) add(name, { AUC: mean(list.map((o) => o.AUC)), "mAP@500": mean(list.map((o) => o["mAP@500"])), soundsAlike: mean(list.map((o) => o.soundsAlike)) });
  }

  const rows: Row[] = [...results].map(([name, list]) => ({
    model: name,
    AUC: mean(list.map((o) => o.AUC)),
    "AUC sd": sd(list.map((o) => o.AUC)),
    "mAP@500": mean(list.map((o) => o["mAP@500"])),
    "mAP sd": sd(list.map((o) => o["mAP@500"])),
    "sounds alike": mean(list.map((o) => o.soundsAlike)),
    "alike sd": sd(list.map((o) => o.soundsAlike)),
  }));
  const key = (s: string) => s.replace(/[^A-Za-z0-9]+/g, "_").replace(/_$/, "");
  const metrics: Record<string, unknown> = {
    split: "album",
    folds,
    seeds,
    albums: albums.length,
    tracks: ids.length,
    epochs,
    crops,
    encoder: encoder?.manifest.name ?? null,
    minutes: (performance.now() - started) / 60000,
    ...Object.fromEntries(rows.flatMap((r) => (["AUC", "mAP@500", "sounds alike"] as const).map((m) => [`${key(String(r.model))}_${key(m)}`, r[m]]))),
  };
  await report(
    db,
    "coldstart-album",
    `Cold start of whole albums: ${albums.length} albums in ${folds} folds, ${seeds} seeds (mean and sd over seeds of each seed's mean over folds); ${ids.length} tracks, ${k} factors; ` +
      `convnets ${values["no-convnet"] ? "skipped" : `${epochs} epochs, ${crops} crops per track and epoch`}; encoder ${encoder?.manifest.name ?? "none"}`,
    rows,
    metrics,
  );
  encoder?.model.dispose();
}

interface FoldInputs {
  tf: Tf;
  k: number;
  alsOptions: AlsOptions;
  listens: { userId: number; trackId: number; plays: number }[];
  userIds: number[];
  userRow: Map<number, number>;
  index: Map<number, number>;
  ids: number[];
  test: number[];
  rest: number[];
  album: number[];
  style: (string | null)[];
  frames: Float32Array[];
  mfccs: ReturnType<typeof mfccFromLogMel>[];
  mfccStats: Float32Array[];
  melStats: Float32Array[];
  embedding: Float32Array[] | undefined;
  encoder: LoadedEncoder | undefined;
  seed: number;
  epochs: number;
  crops: number;
  convnet: boolean;
}

async function runFold(f: FoldInputs): Promise<Map<string, Outcome>> {
  const { tf, k, test, rest } = f;
  // ALS without the held-out albums' listens; their tracks' rows stay empty.
  const heldTracks = new Set(test.map((i) => f.ids[i]!));
  const kept = f.listens.filter((l) => !heldTracks.has(l.trackId));
  const als = await fitAls(
    buildInteractions(
      Int32Array.from(kept, (l) => f.userRow.get(l.userId)!),
      Int32Array.from(kept, (l) => f.index.get(l.trackId)!),
      Float32Array.from(kept, (l) => l.plays),
      f.userIds.length,
      f.ids.length,
    ),
    { ...pick(f.alsOptions), factors: k, seed: f.seed },
  );
  const norms = (i: number) => Math.hypot(...als.itemFactors.subarray(i * k, (i + 1) * k));
  const warm = rest.filter((i) => norms(i) > 0);
  const yTrain = unit(rowsOf(als.itemFactors, k, warm), k);
  const testPosition = new Map(test.map((i, p) => [f.ids[i]!, p]));
  const plays = f.listens.flatMap((l) => (testPosition.has(l.trackId) ? [{ user: f.userRow.get(l.userId)!, candidate: testPosition.get(l.trackId)! }] : []));
  // A user whose every listen was held out has no factors to rank with: left out, as in the track split.
  const known = (u: number) => Math.hypot(...als.userFactors.subarray(u * k, (u + 1) * k)) > 0;
  const { users, relevant } = rankingUsers(plays.filter((p) => known(p.user)), test.length);
  const userFactors = users.map((u) => als.userFactors.subarray(u * k, (u + 1) * k));
  const testAlbums = test.map((i) => f.album[i]!);
  const out = new Map<string, Outcome>();
  const score = (name: string, items: Float32Array, space?: readonly Float32Array[] | Float32Array) => {
    const q = rankingQuality(userFactors, items, k, relevant);
    const vectors = space === undefined ? undefined : space instanceof Float32Array ? splitRows(space, test.length) : space;
    out.set(name, { AUC: q.auc, "mAP@500": q.map, soundsAlike: vectors ? pairAuc(vectors, testAlbums) : NaN });
  };

  const noise = new Rng(f.seed);
  score("random", Float32Array.from({ length: test.length * k }, () => noise.next() - 0.5));
  const order = [...warm, ...test];
  const bow = bagOfWordsFeatures(order.map((i) => f.mfccs[i]!), warm.map((_, j) => j), WORDS, FRAME_STRIDE);
  const xTrain = bow.subarray(0, warm.length * WORDS);
  const xTest = bow.subarray(warm.length * WORDS);
  const ridge = ridgeBaseline(xTrain, yTrain, warm.length, WORDS, k, xTest);
  score("MFCC BoW + linear regression", ridge.predictions, ridge.predictions);
  const mlp = await mlpBaseline(tf, xTrain, yTrain, warm.length, WORDS, k, xTest, MLP_DEFAULTS);
  score("MFCC BoW + MLP", mlp.predictions, mlp.predictions);
  for (const [name, stats] of [["MFCC mean+sd", f.mfccStats], ["log-mel mean+sd", f.melStats]] as const) {
    const z = zScore(stats, warm);
    const d = stats[0]!.length;
    const fit = ridgeBaseline(stack(warm.map((i) => z[i]!)), yTrain, warm.length, d, k, stack(test.map((i) => z[i]!)));
    // Sounds alike in the statistics themselves (z-scored over the training tracks), the issue's 0.6–0.65 figure.
    score(`${name} + linear regression`, fit.predictions, test.map((i) => z[i]!));
  }
  // The baseline `curator train` ships (model/mfcc-baseline.ts), fitted on the fold's warm tracks; sounds alike in its
  // own space, the statistics z-scored over those tracks.
  const timbre = fitMfccBaseline(warm.map((i) => f.frames[i]!), yTrain, k, 128, "timbre-stats");
  const testFrames = test.map((i) => f.frames[i]!);
  score("timbre statistics + linear regression", predictMfccBaseline(timbre, testFrames), baselineInputs(timbre, testFrames));
  const styleOracle = groupMeans(warm.map((i) => f.style[i]!), yTrain, test.map((i) => f.style[i]!), k);
  score("oracle: mean factors of the style", styleOracle.rows);

  if (f.embedding) {
    const z = zScore(f.embedding, warm);
    const d = f.embedding[0]!.length;
    const probe = ridgeBaseline(stack(warm.map((i) => z[i]!)), yTrain, warm.length, d, k, stack(test.map((i) => z[i]!)));
    // Sounds alike in the embedding z-scored over the warm tracks (as the statistics are): raw, a few large units
    // dominate the cosine.
    score("pretrained encoder (frozen) + linear regression", probe.predictions, test.map((i) => z[i]!));
  }
  if (f.convnet) {
    score("convnet (random init)", ...(await convnetFold(f, warm, yTrain, undefined)));
    if (f.encoder) score("convnet (pretrained, fine-tuned)", ...(await convnetFold(f, warm, yTrain, f.encoder)));
  }
  return out;
}

/** `curator train`'s defaults on the fold's warm tracks (middle excerpts, a seeded 15% validating), test-track predictions. */
async function convnetFold(f: FoldInputs, warm: number[], yTrain: Float32Array, encoder: LoadedEncoder | undefined): Promise<[Float32Array, Float32Array]> {
  const { tf, k } = f;
  const model: ModelOptions = modelOptions(DEFAULT_PRESET, { outputDims: k });
  const standardization: Standardizer = encoder?.manifest.standardization ?? fitStandardizer(warm.map((i) => f.frames[i]!), model.melBins);
  const split = splitTracks(warm.map((_, j) => j), 0.15, f.seed);
  const examples = warm.map((i, j) => ({ inputs: standardize(f.frames[i]!, standardization), targets: yTrain.subarray(j * k, (j + 1) * k) }));
  const dir = mkdtempSync(join(tmpdir(), "coldstart-album-"));
  try {
    const result = await train(tf, {
      model,
      training: { ...TRAINING_DEFAULTS, epochs: f.epochs, seed: f.seed },
      provider: inMemoryProvider(examples),
      trainIndices: Array.from({ length: f.crops }, () => split.train).flat(),
      validationIndices: split.validation,
      checkpointDir: dir,
      ...(encoder ? { initialize: async (network) => copyEncoderWeights(encoder, network, model) } : {}),
    });
    const predictions = await predictExcerpts(tf, result.model, model, f.test.map((i) => standardize(f.frames[i]!, standardization)));
    result.model.dispose();
    return [predictions, predictions];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The encoder's last hidden layer on each track's centre excerpt (its standardisation): the frozen embedding. */
async function encoderEmbedding(tf: Tf, encoder: LoadedEncoder, frames: readonly Float32Array[]): Promise<Float32Array[]> {
  const options = encoder.manifest.modelOptions;
  const last = `hidden${options.denseUnits.length}`;
  const probe = tf.model({ inputs: encoder.model.inputs, outputs: encoder.model.getLayer(last).output as never });
  const inputs = frames.map((t) => standardize(t, encoder.manifest.standardization));
  const flat = await forwardWindows(tf, centreWindows(inputs, options), options.cropFrames, options.melBins, 32, (x) => probe.predict(x) as Tensor);
  return splitRows(flat, frames.length);
}

/** Same-group pairs against other-group pairs by cosine: the probability a random same pair scores above a random other pair. */
export function pairAuc(vectors: readonly Float32Array[], groups: readonly number[]): number {
  const unitRows = vectors.map((v) => {
    const n = Math.hypot(...v) || 1;
    return v.map((x) => x / n);
  });
  const same: number[] = [];
  const other: number[] = [];
  for (let i = 0; i < unitRows.length; i++) {
    for (let j = i + 1; j < unitRows.length; j++) {
      let dot = 0;
      for (let d = 0; d < unitRows[i]!.length; d++) dot += unitRows[i]![d]! * unitRows[j]![d]!;
      (groups[i] === groups[j] ? same : other).push(dot);
    }
  }
  if (same.length === 0 || other.length === 0) return NaN;
  // Mann–Whitney U by ranks (ties share their mean rank).
  const all = [...same.map((v) => ({ v, s: 1 })), ...other.map((v) => ({ v, s: 0 }))].sort((a, b) => a.v - b.v);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]!.v === all[i]!.v) j++;
    const rank = (i + j + 1) / 2;
    for (let t = i; t < j; t++) if (all[t]!.s === 1) rankSum += rank;
    i = j;
  }
  return (rankSum - (same.length * (same.length + 1)) / 2) / (same.length * other.length);
}

/** Per track, the mean and standard deviation over frames of each of its `width` columns. */
function statistics(tracks: readonly { data: Float32Array; width: number }[]): Float32Array[] {
  return tracks.map(({ data, width }) => {
    const n = data.length / width;
    const out = new Float32Array(2 * width);
    for (let c = 0; c < width; c++) {
      let s = 0;
      let s2 = 0;
      for (let t = 0; t < n; t++) {
        const v = data[t * width + c]!;
        s += v;
        s2 += v * v;
      }
      out[c] = s / n;
      out[width + c] = Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2));
    }
    return out;
  });
}

/** Every row z-scored with the mean and spread of the `fitOn` rows. */
function zScore(rows: readonly Float32Array[], fitOn: readonly number[]): Float32Array[] {
  const d = rows[0]!.length;
  const m = new Float64Array(d);
  const s = new Float64Array(d);
  for (const i of fitOn) for (let c = 0; c < d; c++) m[c]! += rows[i]![c]! / fitOn.length;
  for (const i of fitOn) for (let c = 0; c < d; c++) s[c]! += (rows[i]![c]! - m[c]!) ** 2 / fitOn.length;
  return rows.map((r) => r.map((v, c) => (v - m[c]!) / Math.max(1e-6, Math.sqrt(s[c]!))));
}

function unit(m: Float32Array, k: number): Float32Array {
  const copy = Float32Array.from(m);
  normalizeRows(copy, copy.length / k, k);
  return copy;
}

function stack(rows: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(rows.length * rows[0]!.length);
  rows.forEach((r, i) => out.set(r, i * r.length));
  return out;
}

function splitRows(m: Float32Array, n: number): Float32Array[] {
  const d = m.length / n;
  return Array.from({ length: n }, (_, i) => m.slice(i * d, (i + 1) * d));
}

function pick(o: AlsOptions): AlsOptions {
  const { iterations, regularization, alpha, scale, epsilon, cgSteps, solver } = o;
  return Object.fromEntries(Object.entries({ iterations, regularization, alpha, scale, epsilon, cgSteps, solver }).filter(([, v]) => v !== undefined)) as AlsOptions;
}

function positive(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${value}`);
  return n;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
