/** A metric compared across the models of one evaluation run: one bar chart. */
export interface MetricGroup {
  metric: string;
  bars: { model: string; value: number }[];
}

export interface SplitMetrics {
  groups: MetricGroup[];
  /** Run-level figures (users, items, ratios) that belong to no model. */
  figures: [string, number | string][];
}

/**
 * The evaluations print metrics as `<model>_<metric>` keys (`ALS_CG_recall@10`); keys sharing a metric suffix
 * with another key become one chart, everything else is a figure of the run.
 */
export function splitMetrics(metrics: Record<string, unknown>): SplitMetrics {
  const bySuffix = new Map<string, { model: string; value: number; key: string }[]>();
  for (const [key, value] of Object.entries(metrics)) {
    const cut = key.lastIndexOf("_");
    if (cut <= 0 || typeof value !== "number" || !Number.isFinite(value)) continue;
    const metric = key.slice(cut + 1);
    bySuffix.set(metric, [...(bySuffix.get(metric) ?? []), { model: key.slice(0, cut).replace(/_/g, " "), value, key }]);
  }
  const groups: MetricGroup[] = [];
  const charted = new Set<string>();
  for (const [metric, bars] of bySuffix) {
    if (bars.length < 2) continue;
    groups.push({ metric, bars: bars.map(({ model, value }) => ({ model, value })) });
    for (const bar of bars) charted.add(bar.key);
  }
  const figures = Object.entries(metrics)
    .filter(([key, value]) => !charted.has(key) && (typeof value === "number" || typeof value === "string"))
    .map(([key, value]) => [key, value] as [string, number | string]);
  return { groups, figures };
}

/** The newest run of each evaluation, in the order the API lists them (most recent first). */
export function latestPerName<T extends { name: string }>(runs: readonly T[]): T[] {
  const seen = new Set<string>();
  return runs.filter((run) => !seen.has(run.name) && seen.add(run.name));
}
