import { bulkInsert, type BulkRow, type BulkTable } from "@curator/db/bulk-insert.js";
import type { Db, FactorKind } from "@curator/db/client.js";
import { bytesToVector, normalizeRows, vectorToBytes } from "@curator/db/factor-sets.js";

/** Rows per Prisma insert statement (inside a transaction): SQLite caps bound parameters. */
const INSERT_BATCH = 500;
/** Rows per bulk transaction: each holds SQLite's write lock for well under a second, and progress moves. */
const BULK_CHUNK = 20_000;

const ITEM_TABLE: BulkTable = {
  name: "ItemFactor",
  columns: [
    { name: "factorSetId", type: "int4" },
    { name: "trackId", type: "int4" },
    { name: "unit", type: "bytea" },
    { name: "raw", type: "bytea" },
    { name: "norm", type: "float8" },
    { name: "spread", type: "float8" },
  ],
};
const USER_TABLE: BulkTable = {
  name: "UserFactor",
  columns: [
    { name: "factorSetId", type: "int4" },
    { name: "userId", type: "int4" },
    { name: "raw", type: "bytea" },
  ],
};

export interface NewFactorSet {
  kind: FactorKind;
  dims: number;
  params: Record<string, unknown>;
  jobId?: number;
  modelRunId?: number;
  /** Track ids in row order of `raw`. */
  trackIds: ArrayLike<number>;
  /** trackIds.length × dims raw factors. */
  raw: Float32Array;
  /** Per-track spread (MC-dropout), predicted sets only. */
  spread?: Float32Array;
  users?: { userIds: ArrayLike<number>; raw: Float32Array };
}

/** A client or an open interactive transaction: the row writes below run in either. */
export type DbOrTx = Db | Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** What a factor set is, before its rows exist. */
export type FactorSetHeader = Pick<NewFactorSet, "kind" | "dims" | "params" | "jobId" | "modelRunId">;

/** A new set in BUILDING state, which no reader uses until activateFactorSet switches to it. */
export async function createFactorSet(db: DbOrTx, header: FactorSetHeader): Promise<number> {
  const created = await db.factorSet.create({
    data: { kind: header.kind, dims: header.dims, params: JSON.stringify(header.params), jobId: header.jobId ?? null, modelRunId: header.modelRunId ?? null },
  });
  return created.id;
}

/** The ItemFactor rows of a set's tracks: unit and raw vectors, the raw norm, the spread of predicted sets. */
export function itemFactorRows(factorSetId: number, set: Pick<NewFactorSet, "dims" | "trackIds" | "raw" | "spread">) {
  const n = set.trackIds.length;
  if (set.raw.length !== n * set.dims) throw new RangeError(`factor set: ${set.raw.length} values for ${n} tracks × ${set.dims} dims`);
  const unit = Float32Array.from(set.raw);
  const norms = normalizeRows(unit, n, set.dims);
  const row = (a: Float32Array, i: number) => vectorToBytes(a.subarray(i * set.dims, (i + 1) * set.dims));
  return Array.from({ length: n }, (_, i) => ({
    factorSetId,
    trackId: set.trackIds[i]!,
    unit: row(unit, i),
    raw: row(set.raw, i),
    norm: norms[i]!,
    spread: set.spread ? set.spread[i]! : null,
  }));
}

/** Writes the track rows of a BUILDING set through Prisma, so they can join the caller's transaction. */
export async function writeItemRows(tx: DbOrTx, factorSetId: number, set: Pick<NewFactorSet, "dims" | "trackIds" | "raw" | "spread">): Promise<void> {
  const rows = itemFactorRows(factorSetId, set);
  for (let start = 0; start < rows.length; start += INSERT_BATCH) await tx.itemFactor.createMany({ data: rows.slice(start, start + INSERT_BATCH) });
}

/** Inside one transaction: marks the set READY, retires the active set of its kind and moves the pointer to it. */
export async function activateFactorSet(tx: DbOrTx, factorSetId: number, kind: FactorKind): Promise<void> {
  const previous = await tx.activeFactorSet.findUnique({ where: { kind } });
  if (previous) await tx.factorSet.update({ where: { id: previous.factorSetId }, data: { status: "RETIRED" } });
  await tx.factorSet.update({ where: { id: factorSetId }, data: { status: "READY", completedAt: new Date() } });
  await tx.activeFactorSet.upsert({
    where: { kind },
    create: { kind, factorSetId },
    update: { factorSetId, switchedAt: new Date() },
  });
}

/** Bulk-inserts rows 0..count of a table BULK_CHUNK at a time (`rowsOf(start, end)` builds a chunk), reporting each chunk's end. */
async function bulkInChunks(
  db: Db,
  table: BulkTable,
  count: number,
  rowsOf: (start: number, end: number) => BulkRow[],
  onChunk: (end: number) => Promise<void> | undefined,
): Promise<void> {
  for (let start = 0; start < count; start += BULK_CHUNK) {
    const end = Math.min(count, start + BULK_CHUNK);
    await bulkInsert(db, table, rowsOf(start, end));
    await onChunk(end);
  }
}

/**
 * Writes a factor set and then makes it the active one of its kind. Rows are written while the set is BUILDING,
 * which no reader uses; one transaction then marks it READY, retires the previous set and switches the pointer, so
 * a failed or killed run never disturbs the set in use. Returns the new set's id.
 */
export async function writeFactorSet(db: Db, set: NewFactorSet, onProgress?: (done: number, total: number) => Promise<void>): Promise<number> {
  const n = set.trackIds.length;
  if (set.raw.length !== n * set.dims) throw new RangeError(`factor set: ${set.raw.length} values for ${n} tracks × ${set.dims} dims`);
  const id = await createFactorSet(db, set);
  const userCount = set.users?.userIds.length ?? 0;
  const total = n + userCount;
  try {
    // The rows go in through the driver's bulk path (a BUILDING set is invisible, so they need not share a
    // transaction with the activation), built one chunk at a time to bound memory.
    await bulkInChunks(db, ITEM_TABLE, n, (start, end) => {
      const trackIds = Array.from({ length: end - start }, (_, i) => set.trackIds[start + i]!);
      return itemFactorRows(id, { dims: set.dims, trackIds, raw: set.raw.subarray(start * set.dims, end * set.dims), spread: set.spread?.subarray(start, end) });
    }, (end) => onProgress?.(end, total));
    if (set.users) {
      const { userIds, raw } = set.users;
      if (raw.length !== userIds.length * set.dims) throw new RangeError(`factor set: ${raw.length} user values for ${userIds.length} users × ${set.dims} dims`);
      await bulkInChunks(db, USER_TABLE, userIds.length, (start, end) =>
        Array.from({ length: end - start }, (_, j) => ({ factorSetId: id, userId: userIds[start + j]!, raw: vectorToBytes(raw.subarray((start + j) * set.dims, (start + j + 1) * set.dims)) })),
        (end) => onProgress?.(n + end, total));
    }
    await db.$transaction((tx) => activateFactorSet(tx, id, set.kind));
  } catch (err) {
    await db.factorSet.update({ where: { id }, data: { status: "FAILED" } }).catch(() => undefined);
    throw err;
  }
  return id;
}

/**
 * Removes sets a killed run left BUILDING (never read, so nothing is lost); returns how many. Sets planned in
 * batches for queue workers are not abandoned while they build, so they are left to `curator enqueue predict`.
 */
export async function removeAbandonedSets(db: Db, kind: FactorKind): Promise<number> {
  const { count } = await db.factorSet.deleteMany({ where: { kind, OR: [{ status: "FAILED" }, { status: "BUILDING", batches: { none: {} } }] } });
  return count;
}

export interface LoadedFactorSet {
  id: number;
  kind: FactorKind;
  dims: number;
  trackIds: Int32Array;
  /** Unit-length rows (zero rows for tracks without factors). */
  unit: Float32Array;
  raw: Float32Array;
  norms: Float32Array;
  users?: { userIds: Int32Array; raw: Float32Array };
}

/** The active set of a kind, or undefined when none was made yet. */
export async function loadActiveFactorSet(db: Db, kind: FactorKind, withUsers = false): Promise<LoadedFactorSet | undefined> {
  const active = await db.activeFactorSet.findUnique({ where: { kind }, include: { factorSet: true } });
  return active ? loadFactorSet(db, active.factorSet, withUsers) : undefined;
}

/** The rows of one set, whatever its status. */
export async function loadFactorSet(db: Db, { id, kind, dims }: { id: number; kind: FactorKind; dims: number }, withUsers = false): Promise<LoadedFactorSet> {
  const items = await db.itemFactor.findMany({ where: { factorSetId: id }, orderBy: { trackId: "asc" } });
  const out: LoadedFactorSet = {
    id,
    kind,
    dims,
    trackIds: Int32Array.from(items, (r) => r.trackId),
    unit: new Float32Array(items.length * dims),
    raw: new Float32Array(items.length * dims),
    norms: Float32Array.from(items, (r) => r.norm),
  };
  items.forEach((r, i) => {
    out.unit.set(bytesToVector(r.unit, dims), i * dims);
    out.raw.set(bytesToVector(r.raw, dims), i * dims);
  });
  if (withUsers) {
    const users = await db.userFactor.findMany({ where: { factorSetId: id }, orderBy: { userId: "asc" } });
    const raw = new Float32Array(users.length * dims);
    users.forEach((u, i) => raw.set(bytesToVector(u.raw, dims), i * dims));
    out.users = { userIds: Int32Array.from(users, (u) => u.userId), raw };
  }
  return out;
}
