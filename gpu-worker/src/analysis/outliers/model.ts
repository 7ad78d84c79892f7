// One logistic regression per kind over the standardised signals, its regularisation picked by grouped
// cross-validation, and the reasons a score gets: the signals that pushed it up most.
import { Rng } from "../../util/random.js";
import { fitLogistic, fitStandardizer, predictRow, standardizeRows, type LogisticModel, type Standardizer } from "./logistic.js";
import { MODEL_KINDS, type ModelKind } from "./labels.js";
import { SIGNALS, type SignalMatrix } from "./signals.js";

/** A track gets a flag of a kind when the model puts its probability at or above this: the Bayes decision. */
export const FLAG_THRESHOLD = 0.5;

const L2_GRID = [0.01, 0.1, 1, 10];
const CV_FOLDS = 4;

export interface KindModel {
  kind: ModelKind;
  standardizer: Standardizer;
  logistic: LogisticModel;
  l2: number;
  positives: number;
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

function targets(labelled: Labelled, kind: ModelKind, which: readonly number[]): Uint8Array {
  return Uint8Array.from(which, (i) => (labelled.labels[i]!.has(kind) ? 1 : 0));
}

function fitOne(signals: SignalMatrix, labelled: Labelled, kind: ModelKind, which: readonly number[], l2: number): KindModel {
  const d = SIGNALS.length;
  const rows = which.map((i) => labelled.rows[i]!);
  const standardizer = fitStandardizer(signals.values, d, rows);
  const y = targets(labelled, kind, which);
  const logistic = fitLogistic(standardizeRows(signals.values, d, standardizer, rows), y, d, { l2 });
  return { kind, standardizer, logistic, l2, positives: y.reduce((s, v) => s + v, 0) };
}

/** Log-loss of grouped cross-validation for each λ of the grid; the best λ (ties: the stronger penalty). */
function chooseL2(signals: SignalMatrix, labelled: Labelled, kind: ModelKind, which: readonly number[], seed: number): number {
  const folds = stratifiedGroupFolds(which.map((i) => labelled.groups[i]!), which.map((i) => labelled.labels[i]!), CV_FOLDS, seed);
  let best = { l2: L2_GRID.at(-1)!, loss: Infinity };
  for (const l2 of [...L2_GRID].reverse()) {
    let loss = 0;
    for (let f = 0; f < CV_FOLDS; f++) {
      const train = which.filter((_, j) => folds[j] !== f);
      const test = which.filter((_, j) => folds[j] === f);
      if (test.length === 0 || train.length === 0) continue;
      const model = fitOne(signals, labelled, kind, train, l2);
      for (const i of test) {
        const p = Math.min(1 - 1e-9, Math.max(1e-9, scoreRow(model, signals, labelled.rows[i]!)));
        loss -= labelled.labels[i]!.has(kind) ? Math.log(p) : Math.log(1 - p);
      }
    }
    if (loss < best.loss - 1e-9) best = { l2, loss };
  }
  return best.l2;
}

/** One model per kind on the labelled examples `which` (indices into labelled; all when omitted). */
export function trainModels(signals: SignalMatrix, labelled: Labelled, seed: number, which?: readonly number[]): KindModel[] {
  const use = which ?? labelled.rows.map((_, i) => i);
  return MODEL_KINDS.map((kind) => fitOne(signals, labelled, kind, use, chooseL2(signals, labelled, kind, use, seed)));
}

/** P(kind) for signal row `row`. */
export function scoreRow(model: KindModel, signals: SignalMatrix, row: number): number {
  const d = SIGNALS.length;
  return predictRow(model.logistic, standardizeRows(signals.values, d, model.standardizer, [row]), 0);
}

/**
 * The facts behind a score, strongest first: each signal's contribution is its weight times its standardised
 * value; the `count` largest positive ones are described in words (missing, imputed values are never a reason).
 */
export function reasons(model: KindModel, signals: SignalMatrix, row: number, count = 3): string {
  const d = SIGNALS.length;
  const z = standardizeRows(signals.values, d, model.standardizer, [row]);
  const parts = SIGNALS.map((signal, j) => ({ j, signal, contribution: model.logistic.weights[j]! * z[j]! }))
    .filter((p) => p.contribution > 0 && signals.missing[row * d + p.j] === 0)
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, count);
  if (parts.length === 0) return "no single signal stands out; the combination of weak ones does";
  return parts.map((p) => p.signal.describe(signals.values[row * d + p.j]!, signals.contexts[row]!)).join("; ");
}
