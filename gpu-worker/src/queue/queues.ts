import { createHash } from "node:crypto";
import type PgBoss from "pg-boss";

/**
 * The curator queues. `features` carries batches of track ids; `predict` the track batches of a predicted factor
 * set; `jobs` the Job rows the API's startJob leaves QUEUED; `index` the search-index builds of newly active sets.
 * All are "stately": at most one queued and one running job per singleton key, so sending a batch twice while it
 * waits or runs is a no-op and no two workers run the same batch at once.
 */
export const QUEUES = {
  features: { policy: "stately", retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 15 * 60 },
  predict: { policy: "stately", retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 15 * 60 },
  jobs: { policy: "stately", retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 4 * 3600 },
  // A 1M-vector IVF-PQ build took 98 s on 2 cores, an HNSW one 20 minutes.
  index: { policy: "stately", retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 3600 },
} satisfies Record<string, Omit<PgBoss.Queue, "name">>;

export type QueueName = keyof typeof QUEUES;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

/**
 * The queues `curator worker` serves. Index builds need FAISS, which lives with the search in the server package
 * (the server imports the worker, never the other way), so `node server/dist/index-worker.js` serves `index`.
 */
export type WorkerQueueName = Exclude<QueueName, "index">;
export const WORKER_QUEUE_NAMES = QUEUE_NAMES.filter((n): n is WorkerQueueName => n !== "index");

export function parseQueueNames(value: string): WorkerQueueName[] {
  const names = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (names.includes("index")) throw new Error("--queues: index builds run in `node server/dist/index-worker.js` (FAISS lives in the server package)");
  const unknown = names.filter((n) => !(WORKER_QUEUE_NAMES as string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--queues: ${unknown.length ? `unknown queue ${unknown.join(", ")}` : "no queue named"}; the queues are ${WORKER_QUEUE_NAMES.join(", ")}`);
  }
  return [...new Set(names)] as WorkerQueueName[];
}

/**
 * A UUID derived from a name (RFC 4122 version 5 layout over SHA-1): sending the same logical job twice gives the
 * same pg-boss id, which pg-boss's insert ignores, so a re-run of `curator enqueue` never duplicates work.
 */
export function stableUuid(name: string): string {
  const h = createHash("sha1").update(`curator:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
