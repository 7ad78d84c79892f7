import assert from "node:assert/strict";
import { test } from "node:test";
import { planBatches } from "@curator/worker/features/batch-plan.js";

const ids = (n: number) => Array.from({ length: n }, (_, i) => i);

test("batch plan: at most maxFiles per batch, in order, every item once", () => {
  const batches = planBatches(ids(40), () => 0, { workers: 2 });
  assert.deepEqual(batches.map((b) => b.length), [16, 16, 8]);
  assert.deepEqual(batches.flat(), ids(40));
  assert.deepEqual(planBatches(ids(7), () => 0, { workers: 1, maxFiles: 3 }).map((b) => b.length), [3, 3, 1]);
});

test("batch plan: a short list is shared between the workers", () => {
  assert.deepEqual(planBatches(ids(6), () => 0, { workers: 2 }), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(planBatches(ids(1), () => 0, { workers: 4 }), [[0]]);
  assert.deepEqual(planBatches([], () => 0, { workers: 2 }), []);
});

test("batch plan: whole-track audio per batch is bounded; a track over the bound is a batch of its own", () => {
  const seconds = [300, 300, 300, 300, 300, 7200, 60, 60];
  const batches = planBatches(ids(seconds.length), (i) => seconds[i]!, { workers: 1, maxWholeSeconds: 1200 });
  assert.deepEqual(batches, [[0, 1, 2, 3], [4], [5], [6, 7]]);
  for (const batch of batches) {
    const total = batch.reduce((sum, i) => sum + seconds[i]!, 0);
    assert.ok(batch.length === 1 || total <= 1200, `${batch}: ${total} s`);
  }
});
