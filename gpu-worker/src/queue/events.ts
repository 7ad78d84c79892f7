/**
 * One JSON object per line on stdout for every batch a worker starts, every track it computes or fails and every set it activates: the
 * operator's record of who did what, and what the reliability tests count to prove no track is done twice.
 */
export type WorkerEvent =
  | { event: "batch"; queue: string; key: string; queueJob: string; attempt: number; tracks: number }
  | { event: "track"; trackId: number; outcome: "computed" | "failed"; key: string }
  | { event: "batch-done"; key: string; computed: number; skipped: number; failed: number; status: string }
  | { event: "job"; jobId: number; stage: string; outcome: string }
  | { event: "predict-done"; key: string; outcome: string; failed: number; indexQueued: boolean }
  | { event: "activated"; factorSetId: number; kind: string }
  | { event: "index-done"; factorSetId: number; outcome: string };

export function logEvent(event: WorkerEvent): void {
  process.stdout.write(`${JSON.stringify({ ...event, worker: process.pid })}\n`);
}
