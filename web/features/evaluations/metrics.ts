/** What a bar's model is to a reader: a baseline to beat, a ceiling, metadata rather than audio, or the shipped model. */
export type ModelRole = "chance" | "baseline" | "ceiling" | "oracle" | "shipped" | null;

export interface MetricBar {
  model: string;
  value: number;
  role: ModelRole;
}

/** A measure compared across the models of one evaluation run: one bar chart. */
export interface MetricGroup {
  metric: string;
  /** What the measure means, in a line. */
  about: string;
  bars: MetricBar[];
}

export interface SplitMetrics {
  groups: MetricGroup[];
  /** Run-level figures (users, items, ratios) that belong to no model, with readable labels. */
  figures: { key: string; label: string; value: number | string }[];
}

/**
 * The measures the evals print, as the last part of their `<model>_<measure>` keys, and what each means; a key
 * ending in anything else is a figure of the run, never a chart (a derived ratio is no model's measure).
 */
const MEASURES: Record<string, string> = {
  "recall@10": "share of a listener's held-out tracks that reach the top 10",
  "nDCG@10": "top-10 ranking quality, higher places counting more",
  "mAP@500": "mean average precision of each listener's ranking (top 500)",
  AUC: "chance that a held-out track ranks above one the listener did not play; 0.5 is chance",
  "precision@10": "share of the top 10 the listener played",
  precision: "share of flagged tracks that are the kind",
  recall: "share of the kind's tracks that are flagged",
  f1: "harmonic mean of precision and recall",
  cold_precision: "share of the recommended cold tracks the listener played",
  warm_precision: "share of the recommended warm tracks the listener played",
  cold_per_list: "cold tracks in a top-10 list",
  all_cold_lists: "share of lists made of cold tracks only",
};
// Lazy model part: the longest measure wins ("…_before_cold_precision" is cold precision, not precision).
const MEASURE_KEY = new RegExp(`^(.+?)_(${Object.keys(MEASURES).map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`);

/** Run-level figures the evals print, in words; other keys are split into words by humanize. */
const FIGURES: Record<string, string> = {
  users: "listeners",
  items: "tracks",
  trainListens: "training listens",
  usersWhoPlayedEveryTestTrack: "listeners left out (played every test track)",
  testTracks: "test tracks",
  trainTracks: "training tracks",
  factors: "factors",
  k: "list length",
  backing: "audio model",
  shipped_middle_AUC: "AUC of the model the workbench shows (middle excerpt)",
  "PREDICTED_MIDDLE_cosine_mAP@500": "convnet (middle excerpt) mAP@500, cosine scoring",
  PREDICTED_MIDDLE_cosine_AUC: "convnet (middle excerpt) AUC, cosine scoring",
  "PREDICTED_WHOLE_cosine_mAP@500": "convnet (whole track) mAP@500, cosine scoring",
  PREDICTED_WHOLE_cosine_AUC: "convnet (whole track) AUC, cosine scoring",
  convnet_auc_over_upper: "convnet AUC ÷ upper bound AUC",
  convnet_auc_minus_bow_lr: "convnet AUC − MFCC BoW + linear regression AUC",
  shipped_middle_minus_best_baseline: "shipped model AUC − best MFCC baseline AUC",
  album_oracle_auc_over_upper: "album oracle AUC ÷ upper bound AUC",
  cg_vs_cholesky_recall10: "recall@10 of CG ÷ Cholesky",
  cg_vs_cholesky_auc: "AUC of CG ÷ Cholesky",
};

/** The key printed tables give a model name (eval/coldstart.ts): runs of other characters become one "_". */
export function modelKey(label: string): string {
  return label.replace(/[^A-Za-z0-9]+/g, "_").replace(/_$/, "");
}

/**
 * The model names as the eval printed them (first column of its table), by key: the metrics line only has the
 * keys, from which "MFCC BoW + linear regression" or "convnet (middle excerpt)" cannot be rebuilt.
 */
export function printedModelNames(tableText: string): Map<string, string> {
  const lines = tableText.split("\n");
  const rule = lines.findIndex((line) => /^-+( +-+)*\s*$/.test(line));
  const names = new Map<string, string>();
  if (rule < 0) return names;
  const width = lines[rule]!.indexOf(" ") < 0 ? lines[rule]!.length : lines[rule]!.indexOf(" ");
  for (const line of lines.slice(rule + 1)) {
    if (line.trim() === "") break;
    const name = line.slice(0, width).trim();
    if (name) names.set(modelKey(name), name);
  }
  return names;
}

/** "usersWhoPlayed_everyTrack" → "users who played every track": a key the page has no words for still reads. */
export function humanize(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .split("_")
    .filter(Boolean)
    .map((word) => (/^auc$/i.test(word) ? "AUC" : /^[A-Z0-9@]+$/.test(word) ? word : word.toLowerCase()))
    .join(" ");
}

/**
 * The printed name of the model behind the workbench's Audio column (the middle-excerpt predictions), among a
 * cold-start table's models: the convnet's row, or the MFCC baseline's when the training run shipped that.
 */
export function shippedModelName(names: ReadonlyMap<string, string>, backing: "CONVNET" | "MFCC_BASELINE" | "ENSEMBLE" | null): string | null {
  if (backing === null) return null;
  const pattern = backing === "MFCC_BASELINE" ? /^shipped: MFCC baseline \(middle/ : /^convnet \(middle/;
  return [...names.values()].find((name) => pattern.test(name)) ?? null;
}

/** Which role a model plays, read from its printed name; `shipped` is the name of the model backing the Audio column. */
export function roleOf(model: string, shipped: string | null): ModelRole {
  if (shipped !== null && model === shipped) return "shipped";
  if (/^random\b/i.test(model)) return "chance";
  if (/^popularity\b/i.test(model)) return "baseline";
  if (/^upper bound\b/i.test(model)) return "ceiling";
  if (/^oracle\b/i.test(model)) return "oracle";
  return null;
}

/**
 * The evaluations print metrics as `<model>_<measure>` keys (`ALS_cg_recall@10`); a measure reported for two or
 * more models becomes one chart, with the models' printed names; everything else is a figure of the run.
 */
export function splitMetrics(metrics: Record<string, unknown>, names: ReadonlyMap<string, string> = new Map(), shipped: string | null = null): SplitMetrics {
  const byMeasure = new Map<string, { bar: MetricBar; key: string }[]>();
  for (const [key, value] of Object.entries(metrics)) {
    const match = key in FIGURES ? null : MEASURE_KEY.exec(key);
    if (!match || typeof value !== "number" || !Number.isFinite(value)) continue;
    const model = names.get(match[1]!) ?? humanize(match[1]!);
    const measure = match[2]!;
    byMeasure.set(measure, [...(byMeasure.get(measure) ?? []), { bar: { model, value, role: roleOf(model, shipped) }, key }]);
  }
  const groups: MetricGroup[] = [];
  const charted = new Set<string>();
  for (const [measure, bars] of byMeasure) {
    if (bars.length < 2) continue;
    groups.push({ metric: measure.replace(/_/g, " "), about: MEASURES[measure]!, bars: bars.map(({ bar }) => bar) });
    for (const { key } of bars) charted.add(key);
  }
  const figures = Object.entries(metrics)
    .filter((entry): entry is [string, number | string] => !charted.has(entry[0]) && (typeof entry[1] === "number" || typeof entry[1] === "string"))
    .map(([key, value]) => ({ key, label: FIGURES[key] ?? figureLabel(key, names), value }));
  return { groups, figures };
}

/** A single-model measure ("INTRO classifier" alone) or an unknown key, in words. */
function figureLabel(key: string, names: ReadonlyMap<string, string>): string {
  const match = MEASURE_KEY.exec(key);
  if (match) return `${names.get(match[1]!) ?? humanize(match[1]!)}: ${match[2]!.replace(/_/g, " ")}`;
  return humanize(key);
}

/** The newest run of each evaluation, in the order the API lists them (most recent first). */
export function latestPerName<T extends { name: string }>(runs: readonly T[]): T[] {
  const seen = new Set<string>();
  return runs.filter((run) => !seen.has(run.name) && seen.add(run.name));
}
