/**
 * `npm run eval -- outliers`: how well the outlier models find intros, outros, interludes, covers and remixes.
 * Labelled set: the curated label file (labels/curated.csv: intros, outros and interludes an editor named from the
 * game's file names), the other short tracks (INTRO when first on the album, OUTRO when last, INTERLUDE between),
 * the remixes, synthetic covers, intros and outros `curator outliers derive` made, every other track with audio as
 * a negative, editors' verdicts on top. Grouped, stratified 5-fold cross-validation: a source track and its derivatives are
 * always in the same fold, so no source is in both training and test; every example is scored once by a model
 * that never saw its group. Ablations: the same models without the chroma cover-matching signals, without the
 * title words, and without any metadata (title words and album place), so a reader sees what the audio carries
 * and that the models do not just read "intro" back. "catalogue only" scores the same out-of-fold predictions on
 * the catalogue's own tracks, the derived ones left out. Baselines: CF alone (no filtering: nothing is flagged) and metadata rules (title
 * words + the 45 s short-track length). Then the share of labelled outliers in every user's top-10 CF list,
 * before and after removing what the models flag. Data: DATABASE_URL after `curator outliers derive`.
 */
import { openDb } from "@curator/db/client.js";
import { loadActiveFactorSet } from "@curator/worker/storage/factor-sets.js";
import { loadOutlierDataset } from "@curator/worker/outliers/dataset.js";
import { DERIVED_ORIGINS, MODEL_KINDS, type ModelKind } from "@curator/worker/outliers/labels.js";
import { FLAG_THRESHOLD, scoreRow, stratifiedGroupFolds, trainModels } from "@curator/worker/outliers/model.js";
import { titleCueWords } from "@curator/worker/outliers/metadata-signals.js";
import { CHROMA_SIGNALS, METADATA_SIGNALS, TITLE_SIGNALS, withoutSignals, type SignalMatrix } from "@curator/worker/outliers/signals.js";
import { recommend } from "@curator/server/similarity/recommend.js";
import { report, type Row } from "./support/report.js";

const FOLDS = 5;
const SEED = 9;
const LIST_K = 10;

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

function prf({ tp, fp, fn }: Counts): { precision: number; recall: number; f1: number } {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

const db = openDb();
try {
  const data = await loadOutlierDataset(db);
  const { labelled, signals, tracks } = data;
  const n = labelled.rows.length;
  if (!MODEL_KINDS.every((k) => labelled.labels.some((l) => l.has(k)))) {
    throw new Error("some kind has no labelled example: run `curator outliers derive` (remixes, covers) on a catalogue with short tracks first");
  }

  // Out-of-fold probabilities: example i × kind.
  const folds = stratifiedGroupFolds(labelled.groups, labelled.labels, FOLDS, SEED);
  const outOfFold = (matrix: SignalMatrix): Float64Array => {
    const scores = new Float64Array(n * MODEL_KINDS.length);
    for (let f = 0; f < FOLDS; f++) {
      const train = folds.flatMap((g, i) => (g !== f ? [i] : []));
      const models = trainModels(matrix, labelled, SEED, train);
      folds.forEach((g, i) => {
        if (g !== f) return;
        for (const m of models) {
          scoreRow(m, matrix, labelled.rows[i]!).forEach((p, c) => (scores[i * MODEL_KINDS.length + MODEL_KINDS.indexOf(m.kinds[c]!)] = p));
        }
      });
    }
    return scores;
  };
  const oof = outOfFold(signals);
  const ablated = (keys: readonly string[]) => {
    const scores = outOfFold(withoutSignals(signals, keys));
    return (i: number, k: number) => scores[i * MODEL_KINDS.length + k]! >= FLAG_THRESHOLD;
  };
  const derived = new Set<string>(Object.values(DERIVED_ORIGINS));
  const catalogueOnly = labelled.rows.map((row) => !derived.has(tracks[row]!.origin));

  const rule = (i: number, kind: ModelKind): boolean => {
    const t = tracks[labelled.rows[i]!]!;
    const cue = (c: Parameters<typeof titleCueWords>[1]) => titleCueWords(t.title, c).length > 0;
    switch (kind) {
      case "INTRO": return t.isShort && cue("intro");
      case "OUTRO": return t.isShort && cue("outro");
      case "INTERLUDE": return t.isShort && (cue("interlude") || (!cue("intro") && !cue("outro")));
      case "REMIX": return cue("remix");
      case "COVER": return cue("cover");
    }
  };
  const model = (i: number, k: number) => oof[i * MODEL_KINDS.length + k]! >= FLAG_THRESHOLD;
  // [name, metrics key, prediction, which examples count]
  const all = () => true;
  const methods: [string, string, (i: number, k: number) => boolean, (i: number) => boolean][] = [
    ["outlier model", "outlier", model, all],
    ["model, catalogue tracks only", "catalogue", model, (i) => catalogueOnly[i]!],
    ["model without chroma", "nochroma", ablated(CHROMA_SIGNALS), all],
    ["model without title words", "notitle", ablated(TITLE_SIGNALS), all],
    ["model without metadata (title, album place)", "nometadata", ablated(METADATA_SIGNALS), all],
    ["CF alone (no filter)", "cf", () => false, all],
    ["metadata rules", "metadata", (i, k) => rule(i, MODEL_KINDS[k]!), all],
  ];
  const rows: Row[] = [];
  const metrics: Record<string, number | string | null> = { labelled: n, folds: FOLDS, audioSpace: data.sources.audioSpace, embedding: data.sources.embedding };
  for (const [k, kind] of MODEL_KINDS.entries()) {
    for (const [name, method, predict, counts] of methods) {
      const c: Counts = { tp: 0, fp: 0, fn: 0 };
      let positives = 0;
      for (let i = 0; i < n; i++) {
        if (!counts(i)) continue;
        const truth = labelled.labels[i]!.has(kind);
        if (truth) positives++;
        const said = predict(i, k);
        if (said && truth) c.tp++;
        else if (said) c.fp++;
        else if (truth) c.fn++;
      }
      const m = prf(c);
      rows.push({ kind, method: name, positives, ...c, precision: m.precision, recall: m.recall, F1: m.f1 });
      const key = `${kind}_${method}`;
      metrics[`${key}_precision`] = m.precision;
      metrics[`${key}_recall`] = m.recall;
      metrics[`${key}_f1`] = m.f1;
    }
  }

  const pct = (v: number | string | null | undefined) => `${(100 * Number(v)).toFixed(1)}%`;
  let lists = "";
  // Top-10 CF lists of every user with factors, the training listens left out, before and after filtering.
  const cf = await loadActiveFactorSet(db, "CF", true);
  if (cf?.users) {
    const rowOfTrack = new Map(Array.from(cf.trackIds, (id, r) => [id, r]));
    const outlier = new Set<number>();
    const flagged = new Set<number>();
    labelled.rows.forEach((row, i) => {
      const id = tracks[row]!.id;
      if (labelled.labels[i]!.size > 0) outlier.add(id);
      if (MODEL_KINDS.some((_, k) => oof[i * MODEL_KINDS.length + k]! >= FLAG_THRESHOLD)) flagged.add(id);
    });
    const listens = await db.listen.findMany({ where: { heldOut: false }, select: { userId: true, trackId: true } });
    const trained = new Map<number, Set<number>>();
    for (const l of listens) (trained.get(l.userId) ?? trained.set(l.userId, new Set()).get(l.userId)!).add(l.trackId);
    const share = { before: 0, after: 0, flaggedBefore: 0, lists: 0, items: { before: 0, after: 0 } };
    cf.users.userIds.forEach((userId, u) => {
      const user = cf.users!.raw.subarray(u * cf.dims, (u + 1) * cf.dims);
      const exclude = trained.get(userId) ?? new Set<number>();
      const base = { user, cf: { ...cf, rowOfTrack }, coldScale: 1, select: "warm" as const, k: LIST_K };
      const before = recommend({ ...base, exclude });
      const after = recommend({ ...base, exclude: new Set([...exclude, ...flagged]) });
      if (before.length === 0) return;
      share.lists++;
      share.items.before += before.length;
      share.items.after += after.length;
      share.before += before.filter((r) => outlier.has(r.trackId)).length;
      share.flaggedBefore += before.filter((r) => flagged.has(r.trackId)).length;
      share.after += after.filter((r) => outlier.has(r.trackId)).length;
    });
    const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
    metrics.lists = share.lists;
    metrics.top10_outlier_share_before = ratio(share.before, share.items.before);
    metrics.top10_flagged_share_before = ratio(share.flaggedBefore, share.items.before);
    metrics.top10_outlier_share_after = ratio(share.after, share.items.after);
    lists =
      `\nTop-${LIST_K} CF lists of ${share.lists} users: labelled outliers are ${pct(metrics.top10_outlier_share_before)} of the items before filtering ` +
      `and ${pct(metrics.top10_outlier_share_after)} after removing what the models flag (they flag ${pct(metrics.top10_flagged_share_before)} of the unfiltered items).`;
  }
  await report(
    db,
    "outliers",
    `Outlier flags, grouped ${FOLDS}-fold CV on ${n} labelled tracks (audio space: ${data.sources.audioSpace}; near-duplicates: ${data.sources.embedding}). ` +
      lists,
    rows,
    metrics,
  );
} finally {
  await db.$disconnect();
}
