import { createReadStream } from "node:fs";
import { parse } from "csv-parse";

export interface ImportedVectors {
  ids: string[];
  /** ids.length × dims, row-major. */
  vectors: Float32Array;
  dims: number;
}

export interface VectorRowError {
  row: number;
  reason: string;
}

/**
 * Reads externally computed factors (e.g. Spark MLlib ALS output flattened to CSV): one row per id, `id,v1,…,vk`,
 * optionally with a header row whose first cell is not numeric-looking data. Every row must have the same width
 * and finite numbers; bad rows are reported by number (header = row 1) and the whole file is refused, since a
 * factor set with holes would be silently wrong.
 */
export async function readVectorCsv(path: string): Promise<ImportedVectors> {
  const ids: string[] = [];
  const values: number[] = [];
  const errors: VectorRowError[] = [];
  const seen = new Map<string, number>();
  let dims = -1;
  let row = 0;
  const parser = createReadStream(path).pipe(parse({ relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: 1 << 20 }));
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      if (row === 1 && record.slice(1).some((cell) => cell !== "" && !Number.isFinite(Number(cell)))) continue; // header
      const [id, ...cells] = record;
      if (!id) {
        errors.push({ row, reason: "empty id" });
        continue;
      }
      if (dims < 0) dims = cells.length;
      if (cells.length !== dims || dims === 0) {
        errors.push({ row, reason: `${cells.length} values, expected ${dims}` });
        continue;
      }
      const numbers = cells.map(Number);
      const bad = numbers.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        errors.push({ row, reason: `value ${bad + 1} "${cells[bad]}" is not a finite number` });
        continue;
      }
      if (seen.has(id)) {
        errors.push({ row, reason: `id "${id}" repeats row ${seen.get(id)}` });
        continue;
      }
      seen.set(id, row);
      ids.push(id);
      values.push(...numbers);
    }
  } catch (err) {
    throw new Error(`${path}: row ${row + 1}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (errors.length > 0) {
    const shown = errors.slice(0, 20).map((e) => `  row ${e.row}: ${e.reason}`);
    throw new Error(`${path}: ${errors.length} bad row(s), nothing imported:\n${shown.join("\n")}${errors.length > 20 ? "\n  …" : ""}`);
  }
  if (ids.length === 0) throw new Error(`${path}: no factor rows`);
  return { ids, vectors: Float32Array.from(values), dims };
}
