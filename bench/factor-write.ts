/**
 * Factor-set writes: rows per second of `writeFactorSet` (the drivers' bulk path: prepared multi-row INSERTs in one
 * transaction per 20k rows on SQLite, unnest array INSERTs on PostgreSQL) against the writer it replaced, Prisma's
 * createMany at 500 rows per statement, on the same rows of the same database, alternating in rounds
 * (FACTOR_WRITE_BENCH_ROUNDS, default 3). Wall and process CPU seconds (cpu_ratio: the anchor's over ours).
 *
 * Flags: --tracks N (200000), --dims D (40), --database-url URL (default: a throwaway SQLite file; a PostgreSQL URL
 * must name an empty database, which is migrated).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openDb, type Db } from "@curator/db/client.js";
import { deployMigrations } from "@curator/db/migrate.js";
import { activateFactorSet, createFactorSet, itemFactorRows, writeFactorSet } from "@curator/worker/storage/factor-sets.js";
import { Rng } from "@curator/worker/util/random.js";

import { alternate, jsonLine, roundsFrom, timed, type Side } from "./support/rounds.js";
import { median } from "./support/stats.js";

const { values: args } = parseArgs({ options: { tracks: { type: "string", default: "200000" }, dims: { type: "string", default: "40" }, "database-url": { type: "string" } } });
const tracks = Number(args.tracks);
const dims = Number(args.dims);
const scratch = mkdtempSync(join(tmpdir(), "curator-bench-factor-write-"));
const url = args["database-url"] ?? `file:${join(scratch, "bench.db")}`;

async function seedTracks(db: Db): Promise<number[]> {
  const artist = await db.artist.create({ data: { name: "Bench" } });
  for (let start = 0; start < tracks; start += 5000) {
    const n = Math.min(5000, tracks - start);
    await db.track.createMany({
      data: Array.from({ length: n }, (_, i) => ({
        externalId: `t${start + i}`, title: `T${start + i}`, artistId: artist.id, durationSec: 60, audioPath: `/bench/${start + i}`, contentHash: `h${start + i}`, channels: 2, sampleRate: 44100, codec: "vorbis",
      })),
    });
  }
  return (await db.track.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((t) => t.id);
}

/** The writer before the bulk path: a BUILDING set, createMany per 500 rows (each its own statement), then activation. */
async function prismaWrite(db: Db, trackIds: number[], raw: Float32Array): Promise<void> {
  const id = await createFactorSet(db, { kind: "CF", dims, params: {} });
  const rows = itemFactorRows(id, { dims, trackIds, raw });
  for (let start = 0; start < rows.length; start += 500) await db.itemFactor.createMany({ data: rows.slice(start, start + 500) });
  await db.$transaction((tx) => activateFactorSet(tx, id, "CF"));
}

try {
  await deployMigrations(url);
  const db = openDb({ url });
  const trackIds = await seedTracks(db);
  const rng = new Rng(3);
  const raw = Float32Array.from({ length: tracks * dims }, () => rng.next() - 0.5);
  // Rounds alternate which writer goes first (support/rounds.ts), so neither always writes into the smaller file.
  const writer = (label: string, write: () => Promise<unknown>): Side => ({
    label,
    async run() {
      const { wall, cpu } = await timed(write);
      return { value: tracks / wall, wall, cpu, note: `${((1e6 * cpu) / tracks).toFixed(1)} CPU-µs/row` };
    },
  });
  const comparison = await alternate({
    bench: "factor-write",
    unit: "rows/s",
    anchorName: "Prisma createMany, 500 rows per statement (the writer before)",
    rounds: roundsFrom("FACTOR_WRITE_BENCH_ROUNDS", 3),
    ours: writer("bulk path", () => writeFactorSet(db, { kind: "CF", dims, params: {}, trackIds, raw })),
    anchor: writer("createMany", () => prismaWrite(db, trackIds, raw)),
  });
  console.log(`${tracks} rows × ${dims} dims on ${url.startsWith("file:") ? "SQLite" : "PostgreSQL"}`);
  await db.$disconnect();
  const cpu = (side: "ours" | "anchor") => median(comparison.rounds.map((r) => r[side].cpu));
  console.log(jsonLine(comparison, { cpu_ratio: Number((cpu("anchor") / cpu("ours")).toPrecision(4)) }));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
