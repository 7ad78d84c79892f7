// Logistic regressions over the standardised signals: one multinomial model over the album roles (intro, outro,
// interlude: a track plays at most one, so they compete for it) and one binary model each for cover and remix
// (a remix of an intro is both); regularisation picked by grouped cross-validation; the reasons a score gets: the
// signals that pushed it up most.
import { Rng } from "../util/random.js";
import { crossEntropy, fitMultinomial, fitStandardizer, predictRow, standardizeRows, type MultinomialModel, type Standardizer } from "./logistic.js";
import type { ModelKind } from "./labels.js";
import { SIGNALS, type SignalMatrix } from "./signals.js";

/** A track gets a flag of a kind when the model puts its probability at or above this: the Bayes decision. */
export const FLAG_THRESHOLD = 0.5;

const L2_GRID = [0.01, 0.1, 1, 10];
const CV_FOLDS = 4;

/**
 * The kinds each model decides between (besides "none of them"). The album roles exclude each other, so one
 * softmax weighs them against each other: a short track between others is an interlude unless its intro
 * evidence outweighs that, instead of three yes/no models that may all say yes or all say no.
 */
export const MODEL_GROUPS: readonly (readonly ModelKind[])[] = [["INTRO", "OUTRO", "INTERLUDE"], ["COVER"], ["REMIX"]];

export interface KindModel {
  /** Classes 1 … of the multinomial; class 0 is "none of these". */
  kinds: readonly ModelKind[];
  standardizer: Standardizer;
  multinomial: MultinomialModel;
  l2: number;
  /** Labelled examples of each kind in training. */
  positives: number[];
}

export interface Labelled {
  /** Track indices (rows of the signal matrix) with labels. */
  rows: number[];
  /** Their labels. */
  labels: Set<ModelKind>[];
  /** Their groups (groupOf). */
  groups: number[];
}

/** Seeded assignment of groups to k folds: folds[i] is the fold of labelled example i. */
export function groupFolds(groups: readonly number[], k: number, seed: number): number[] {
  const distinct = [...new Set(groups)].sort((a, b) => a - b);
  const order = new Rng(seed).shuffle(distinct);
  const foldOf = new Map(order.map((g, i) => [g, i % k]));
  return groups.map((g) => foldOf.get(g)!);
}

/**
 * Stratified variant: groups are dealt to folds round-robin within each label pattern (the kinds of the group's
 * first example), so a rare kind with a handful of examples lands in several folds instead of one.
 */
export function stratifiedGroupFolds(groups: readonly number[], labels: readonly Set<ModelKind>[], k: number, seed: number): number[] {
  const patternOf = new Map<number, string>();
  groups.forEach((g, i) => {
    if (!patternOf.has(g) || labels[i]!.size > 0) patternOf.set(g, [...labels[i]!].sort().join("+"));
  });
  const byPattern = new Map<string, number[]>();
  for (const g of [...patternOf.keys()].sort((a, b) => a - b)) {
    const p = patternOf.get(g)!;
    (byPattern.get(p) ?? byPattern.set(p, []).get(p)!).push(g);
  }
  const rng = new Rng(seed);
  const foldOf = new Map<number, number>();
  let next = 0;
  for (const p of [...byPattern.keys()].sort()) {
    for (const g of rng.shuffle(byPattern.get(p)!)) foldOf.set(g, next++ % k);
  }
  return groups.map((g) => foldOf.get(g)!);
}

/** Class distribution per example of `which` (row-major, 1 + kinds.length per row): its labels in the group, split evenly. */
function targets(labelled: Labelled, kinds: readonly ModelKind[], which: readonly number[]): Float64Array {
  const classes = kinds.length + 1;
  const out = new Float64Array(which.length * classes);
  which.forEach((i, r) => {
    const hits = kinds.flatMap((kind, c) => (labelled.labels[i]!.has(kind) ? [c + 1] : []));
    if (hits.length === 0) out[r * classes] = 1;
    for (const c of hits) out[r * classes + c] = 1 / hits.length;
  });
  return out;
}

function fitOne(signals: SignalMatrix, labelled: Labelled, kinds: readonly ModelKind[], which: readonly number[], l2: number): KindModel {
  const d = SIGNALS.length;
  const rows = which.map((i) => labelled.rows[i]!);
  const standardizer = fitStandardizer(signals.values, d, rows);
  const y = targets(labelled, kinds, which);
  const multinomial = fitMultinomial(standardizeRows(signals.values, d, standardizer, rows), y, d, kinds.length + 1, { l2 });
  const positives = kinds.map((kind) => which.filter((i) => labelled.labels[i]!.has(kind)).length);
  return { kinds, standardizer, multinomial, l2, positives };
}

/** Cross-entropy of grouped cross-validation for each λ of the grid; the best λ (ties: the stronger penalty). */
function chooseL2(signals: SignalMatrix, labelled: Labelled, kinds: readonly ModelKind[], which: readonly number[], seed: number): number {
  const folds = stratifiedGroupFolds(which.map((i) => labelled.groups[i]!), which.map((i) => labelled.labels[i]!), CV_FOLDS, seed);
  let best = { l2: L2_GRID.at(-1)!, loss: Infinity };
  for (const l2 of [...L2_GRID].reverse()) {
    let loss = 0;
    for (let f = 0; f < CV_FOLDS; f++) {
      const train = which.filter((_, j) => folds[j] !== f);
      const test = which.filter((_, j) => folds[j] === f);
      if (test.length === 0 || train.length === 0) continue;
      const model = fitOne(signals, labelled, kinds, train, l2);
      const y = targets(labelled, kinds, test);
      test.forEach((i, r) => (loss += crossEntropy(y, r, readRow(model, signals, labelled.rows[i]!).p, 1e-9)));
    }
    if (loss < best.loss - 1e-9) best = { l2, loss };
  }
  return best.l2;
}

/** One model per group of MODEL_GROUPS on the labelled examples `which` (indices into labelled; all when omitted). */
export function trainModels(signals: SignalMatrix, labelled: Labelled, seed: number, which?: readonly number[]): KindModel[] {
  const use = which ?? labelled.rows.map((_, i) => i);
  return MODEL_GROUPS.map((kinds) => fitOne(signals, labelled, kinds, use, chooseL2(signals, labelled, kinds, use, seed)));
}

/** Row `row` of the signals standardised for the model, and the model's class probabilities (class 0: none). */
function readRow(model: KindModel, signals: SignalMatrix, row: number): { z: Float64Array; p: Float64Array } {
  const z = standardizeRows(signals.values, SIGNALS.length, model.standardizer, [row]);
  return { z, p: predictRow(model.multinomial, z, 0) };
}

/** P(kind) for signal row `row`, for each kind of the model in order. */
export function scoreRow(model: KindModel, signals: SignalMatrix, row: number): Float64Array {
  return readRow(model, signals, row).p.subarray(1);
}

export interface ExplainedRow {
  /** scoreRow's P(kind) for each kind of the model in order. */
  scores: Float64Array;
  /**
   * The facts behind the score of `kind`, strongest first: each signal's contribution is its standardised value
   * times how much more it weighs for the kind than for the likeliest alternative (another role, or none), so an
   * intro's reasons say why an intro rather than an interlude; the `count` largest positive ones are described in
   * words (missing, imputed values are never a reason).
   */
  reasons(kind: ModelKind, count?: number): string;
}

/** scoreRow with the reasons of its scores, which use the same probabilities: computed once for the row, however many kinds it is flagged for. */
export function explainRow(model: KindModel, signals: SignalMatrix, row: number): ExplainedRow {
  const d = SIGNALS.length;
  const { z, p } = readRow(model, signals, row);
  // Class 0 ("none") is the reference: its weights are 0.
  const weight = (k: number, j: number) => (k === 0 ? 0 : model.multinomial.weights[(k - 1) * d + j]!);
  const reasons = (kind: ModelKind, count = 3): string => {
    const c = model.kinds.indexOf(kind) + 1;
    if (c < 1) throw new RangeError(`reasons: the model of ${model.kinds.join("/")} does not score ${kind}`);
    const rival = p.reduce((best, v, k) => (k !== c && (best === c || v > p[best]!) ? k : best), c);
    const parts = SIGNALS.map((signal, j) => ({ j, signal, contribution: (weight(c, j) - weight(rival, j)) * z[j]! }))
      .filter((p) => p.contribution > 0 && signals.missing[row * d + p.j] === 0)
      .sort((a, b) => b.contribution - a.contribution)
      .slice(0, count);
    if (parts.length === 0) return "no single signal stands out; the combination of weak ones does";
    return parts.map((p) => p.signal.describe(signals.values[row * d + p.j]!, signals.contexts[row]!)).join("; ");
  };
  return { scores: p.subarray(1), reasons };
}
