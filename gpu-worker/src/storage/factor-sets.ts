import type { Db, FactorKind } from "@curator/db/client.js";
import { bytesToVector, vectorToBytes } from "@curator/db/vectors.js";
import { normalizeRows } from "../factorize/factors.js";

/** Rows per insert statement: SQLite caps bound parameters, and smaller batches keep progress visible. */
const INSERT_BATCH = 500;

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

/**
 * Writes a factor set and then makes it the active one of its kind. Rows are written while the set is BUILDING,
 * which no reader uses; one transaction then marks it READY, retires the previous set and switches the pointer, so
 * a failed or killed run never disturbs the set in use. Returns the new set's id.
 */
export async function writeFactorSet(db: Db, set: NewFactorSet, onProgress?: (done: number, total: number) => Promise<void>): Promise<number> {
  const n = set.trackIds.length;
  if (set.raw.length !== n * set.dims) throw new RangeError(`factor set: ${set.raw.length} values for ${n} tracks × ${set.dims} dims`);
  const unit = Float32Array.from(set.raw);
  const norms = normalizeRows(unit, n, set.dims);
  const created = await db.factorSet.create({
    data: { kind: set.kind, dims: set.dims, params: JSON.stringify(set.params), jobId: set.jobId ?? null, modelRunId: set.modelRunId ?? null },
  });
  const userCount = set.users?.userIds.length ?? 0;
  const total = n + userCount;
  try {
    for (let start = 0; start < n; start += INSERT_BATCH) {
      const end = Math.min(n, start + INSERT_BATCH);
      const data = [];
      for (let i = start; i < end; i++) {
        const row = (a: Float32Array) => a.subarray(i * set.dims, (i + 1) * set.dims);
        data.push({
          factorSetId: created.id,
          trackId: set.trackIds[i]!,
          unit: vectorToBytes(row(unit)),
          raw: vectorToBytes(row(set.raw)),
          norm: norms[i]!,
          spread: set.spread ? set.spread[i]! : null,
        });
      }
      await db.itemFactor.createMany({ data });
      await onProgress?.(end, total);
    }
    if (set.users) {
      const { userIds, raw } = set.users;
      if (raw.length !== userIds.length * set.dims) throw new RangeError(`factor set: ${raw.length} user values for ${userIds.length} users × ${set.dims} dims`);
      for (let start = 0; start < userIds.length; start += INSERT_BATCH) {
        const end = Math.min(userIds.length, start + INSERT_BATCH);
        const data = [];
        for (let i = start; i < end; i++) {
          data.push({ factorSetId: created.id, userId: userIds[i]!, raw: vectorToBytes(raw.subarray(i * set.dims, (i + 1) * set.dims)) });
        }
        await db.userFactor.createMany({ data });
        await onProgress?.(n + end, total);
      }
    }
    await db.$transaction(async (tx) => {
      const previous = await tx.activeFactorSet.findUnique({ where: { kind: set.kind } });
      if (previous) await tx.factorSet.update({ where: { id: previous.factorSetId }, data: { status: "RETIRED" } });
      await tx.factorSet.update({ where: { id: created.id }, data: { status: "READY", completedAt: new Date() } });
      await tx.activeFactorSet.upsert({
        where: { kind: set.kind },
        create: { kind: set.kind, factorSetId: created.id },
        update: { factorSetId: created.id, switchedAt: new Date() },
      });
    });
  } catch (err) {
    await db.factorSet.update({ where: { id: created.id }, data: { status: "FAILED" } }).catch(() => undefined);
    throw err;
  }
  return created.id;
}

/** Removes sets a killed run left BUILDING (never read, so nothing is lost); returns how many. */
export async function removeAbandonedSets(db: Db, kind: FactorKind): Promise<number> {
  const { count } = await db.factorSet.deleteMany({ where: { kind, status: { in: ["BUILDING", "FAILED"] } } });
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
  if (!active) return undefined;
  const { id, dims } = active.factorSet;
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
