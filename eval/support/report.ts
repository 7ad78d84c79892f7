import type { Db } from "@curator/db/client.js";

export type Row = Record<string, string | number>;

/** A fixed-width text table: what `npm run eval` prints for people, before the JSON line for machines. */
export function formatTable(rows: readonly Row[]): string {
  if (rows.length === 0) return "(no rows)";
  const columns = Object.keys(rows[0]!);
  const cell = (v: string | number | undefined) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : (v ?? ""));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join("  ");
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join("\n");
}

/**
 * Prints the table and, last, one JSON line of metrics; stores both as an Evaluation row so analysts see the
 * latest tables in the API.
 */
export async function report(db: Db, name: string, title: string, rows: readonly Row[], metrics: Record<string, unknown>): Promise<void> {
  const table = `${title}\n\n${formatTable(rows)}`;
  console.log(table);
  await db.evaluation.create({ data: { name, tableText: table, metrics: JSON.stringify(metrics) } });
  console.log(JSON.stringify({ eval: name, ...metrics }));
}
