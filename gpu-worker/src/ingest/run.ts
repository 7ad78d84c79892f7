#!/usr/bin/env node
/**
 * Stand-alone entry to the ingest functions until they are wired into `curator`:
 *   node gpu-worker/dist/ingest/run.js fetch    --subset default|full [--dir data/corpus]
 *   node gpu-worker/dist/ingest/run.js catalog  --subset default|full [--dir data/corpus] [--out <dir>/catalog.csv]
 *   node gpu-worker/dist/ingest/run.js simulate [--dir data/corpus] [--catalog <dir>/catalog.csv]
 *                                               [--listens <dir>/listens.csv] [--users 2000] [--seed N]
 * Prints a JSON summary on the last line; bad items go to stderr, one per line.
 */
import { readFile, writeFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { BadItem } from "./types.js";
import { fetchCorpus } from "./corpus/fetch.js";
import { parseSubset } from "./corpus/packages.js";
import { buildCatalog } from "./catalog/build.js";
import { catalogFromCsv, writeCatalogCsv } from "./catalog/csv.js";
import { SIMULATOR_HELP, simulateListens } from "./listens/simulate.js";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { subset: { type: "string", default: "default" }, dir: { type: "string", default: "data/corpus" }, out: { type: "string" }, catalog: { type: "string" }, listens: { type: "string" }, users: { type: "string" }, seed: { type: "string" }, help: { type: "boolean" } },
});
const command = positionals[0];
const dir = values.dir!;
const progress = (done: number, total: number, item: string): void => void process.stderr.write(`[${done}/${total}] ${item}\n`);
const report = (bad: BadItem[]): void => bad.forEach((b) => process.stderr.write(`BAD ${b.item}: ${b.reason}\n`));
const started = Date.now();

if (command === "fetch") {
  const r = await fetchCorpus({ subset: parseSubset(values.subset!), dir, onProgress: progress });
  report(r.bad);
  const fresh = r.rows.filter((p) => !p.skipped);
  console.log(JSON.stringify({ command, packages: r.rows.length, fetched: fresh.length, bad: r.bad.length,
    debMB: fresh.reduce((s, p) => s + p.debBytes, 0) / 1e6, keptMB: r.rows.reduce((s, p) => s + p.bytes, 0) / 1e6, seconds: (Date.now() - started) / 1000 }));
} else if (command === "catalog") {
  const r = await buildCatalog({ subset: parseSubset(values.subset!), dir, onProgress: progress });
  report(r.bad);
  await writeCatalogCsv(values.out ?? join(dir, "catalog.csv"), r.rows);
  const full = r.rows.filter((x) => !x.isShort);
  console.log(JSON.stringify({ command, rows: r.rows.length, tracks: full.length, short: r.rows.length - full.length,
    silent: r.rows.filter((x) => x.isSilent).map((x) => x.externalId), hours: full.reduce((s, x) => s + x.durationSec, 0) / 3600,
    hoursAll: r.rows.reduce((s, x) => s + x.durationSec, 0) / 3600, artists: new Set(r.rows.map((x) => x.artist)).size,
    albums: new Set(r.rows.map((x) => `${x.albumSource}|${x.album}`)).size, licences: [...new Set(r.rows.map((x) => x.licence))].sort(),
    bad: r.bad.length, seconds: (Date.now() - started) / 1000 }));
} else if (command === "simulate") {
  const catalogPath = values.catalog ?? join(dir, "catalog.csv");
  const rows = catalogFromCsv(await readFile(catalogPath, "utf8"), catalogPath);
  const r = simulateListens(rows, { ...(values.users ? { users: Number(values.users) } : {}), ...(values.seed ? { seed: Number(values.seed) } : {}) });
  const out = values.listens ?? join(dir, "listens.csv");
  await writeFile(`${out}.tmp`, "user_id,track_id,plays,held_out\n" + r.listens.map((l) => `${l.user},"${l.track.replace(/"/g, '""')}",${l.plays},${l.heldOut}`).join("\n") + "\n");
  await rename(`${out}.tmp`, out);
  console.log(JSON.stringify({ command, ...r.stats, users: r.users.length, listens: r.listens.length, heldOutTracks: r.heldOutTracks.length,
    heldOutListens: r.listens.filter((l) => l.heldOut).length, seconds: (Date.now() - started) / 1000 }));
} else {
  console.log(`usage: run.js fetch|catalog|simulate [--subset default|full] [--dir data/corpus] [--out F] [--catalog F] [--listens F] [--users N] [--seed N]\n\n${SIMULATOR_HELP}`);
  if (!values.help) process.exitCode = 2;
}
