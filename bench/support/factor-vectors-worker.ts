// Loads the active factor set of one kind in a worker thread and posts its indexed unit vectors back. The worker's
// heap (Prisma rows, the whole set) dies with it, so the bench's timed loops do not pay V8's garbage collector for it:
// loaded in the main thread, it cost a 274-vector Flat search half its single-query speed.
import { parentPort, workerData } from "node:worker_threads";
import { openDb, type FactorKind } from "@curator/db/client.js";
import { rowsWithFactors } from "@curator/db/factor-sets.js";
import { loadActiveFactorSet } from "@curator/worker/storage/factor-sets.js";

export interface FactorVectors {
  vectors: Float32Array;
  dims: number;
  setId: number;
}

const kind = workerData as FactorKind;
const db = openDb();
try {
  const set = await loadActiveFactorSet(db, kind);
  if (!set) throw new Error(`bench search: no active ${kind} factor set in ${process.env.DATABASE_URL ?? "the default database"}`);
  const { vectors } = rowsWithFactors(set);
  const message: FactorVectors = { vectors, dims: set.dims, setId: set.id };
  parentPort!.postMessage(message, [vectors.buffer as ArrayBuffer]);
} finally {
  await db.$disconnect();
}
