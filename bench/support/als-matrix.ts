// The ALS bench's play-count matrix: a seeded power-law generator, or an external `user,item,count` CSV (the file
// `--write-csv` writes, so benfred/implicit or any other library can be run on exactly the same matrix).
import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { parse } from "csv-parse";

import { randomFactors } from "@curator/worker/factorize/factors.js";
import { createProgressView } from "@curator/worker/jobs/progress.js";

export interface PlayMatrix {
  users: number;
  items: number;
  /** COO triplets; a repeated (user, item) pair is summed when the sparse matrix is built. */
  rows: Int32Array;
  cols: Int32Array;
  counts: Float32Array;
  source: string;
}

/** Index drawn with probability ∝ (j + 10)^−exponent: Zipf-like listeners and tracks with a soft head. */
function zipfSampler(n: number, exponent: number): (u: number) => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let j = 0; j < n; j++) cdf[j] = total += (j + 10) ** -exponent;
  return (u) => {
    const target = u * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** `draws` seeded triplets over users × items with power-law activity and popularity, exponential counts. */
export function generatePlays(users: number, items: number, draws: number): PlayMatrix {
  const noise = randomFactors(1, draws * 3, 2014, 1);
  const user = zipfSampler(users, 0.8);
  const item = zipfSampler(items, 0.9);
  const rows = new Int32Array(draws);
  const cols = new Int32Array(draws);
  const counts = new Float32Array(draws);
  for (let j = 0; j < draws; j++) {
    // Scatter ranks over ids so popularity is not sorted by id (as real catalogues are not).
    rows[j] = (user(noise[3 * j]!) * 7919) % users;
    cols[j] = (item(noise[3 * j + 1]!) * 104729) % items;
    // Float32 noise can round up to exactly 1: keep the exponential draw finite.
    counts[j] = 1 + Math.floor(-Math.log(Math.max(1 - noise[3 * j + 2]!, 2 ** -24)) * 3);
  }
  return { users, items, rows, cols, counts, source: `generated (${users} users × ${items} items, ${draws} draws)` };
}

/**
 * Reads `user,item,count` rows (a header row is skipped; ids are any strings, numbered in order of first
 * appearance). A bad row stops the read with its row number and reason: a benchmark on a silently different
 * matrix would compare nothing.
 */
export async function readPlaysCsv(path: string): Promise<PlayMatrix> {
  const userIds = new Map<string, number>();
  const itemIds = new Map<string, number>();
  const rows: number[] = [];
  const cols: number[] = [];
  const counts: number[] = [];
  const progress = createProgressView("read csv");
  let row = 0;
  const parser = createReadStream(path).pipe(parse({ skip_empty_lines: true, trim: true }));
  for await (const record of parser as AsyncIterable<string[]>) {
    row++;
    if (record.length !== 3) throw new Error(`${path}: row ${row}: ${record.length} columns, expected 3 (user,item,count)`);
    const [user, item, cell] = record as [string, string, string];
    const count = Number(cell);
    if (row === 1 && !Number.isFinite(count)) continue; // header
    if (!user || !item) throw new Error(`${path}: row ${row}: empty ${user ? "item" : "user"} id`);
    if (!Number.isFinite(count) || count <= 0) throw new Error(`${path}: row ${row}: count "${cell}" is not a positive number`);
    let u = userIds.get(user);
    if (u === undefined) userIds.set(user, (u = userIds.size));
    let i = itemIds.get(item);
    if (i === undefined) itemIds.set(item, (i = itemIds.size));
    rows.push(u);
    cols.push(i);
    counts.push(count);
    if (row % 100_000 === 0) progress.update(row, row);
  }
  progress.stop();
  if (rows.length === 0) throw new Error(`${path}: no user,item,count rows`);
  return {
    users: userIds.size,
    items: itemIds.size,
    rows: Int32Array.from(rows),
    cols: Int32Array.from(cols),
    counts: Float32Array.from(counts),
    source: path,
  };
}

/** Writes the triplets as `user,item,count` with a header (dense 0-based ids), the input readPlaysCsv takes. */
export async function writePlaysCsv(path: string, m: PlayMatrix): Promise<void> {
  const out = createWriteStream(path);
  out.write("user,item,count\n");
  const CHUNK = 65_536;
  for (let start = 0; start < m.rows.length; start += CHUNK) {
    let text = "";
    for (let j = start; j < Math.min(m.rows.length, start + CHUNK); j++) text += `${m.rows[j]},${m.cols[j]},${m.counts[j]}\n`;
    if (!out.write(text)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}
