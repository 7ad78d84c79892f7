import assert from "node:assert/strict";
import { test } from "node:test";

import { averagePredictions } from "@curator/worker/model/ensemble.js";

test("averagePredictions: per-track mean of the members' factors and spreads, matched by track id", () => {
  const a = { trackIds: [1, 2, 3], raw: Float32Array.from([1, 2, 3, 4, 5, 6]), spread: Float32Array.from([0.1, 0.2, 0.3]) };
  // Rows in another order would be averaged wrongly by position: b lists track 3 where a lists track 2.
  const b = { trackIds: [1, 3, 2], raw: Float32Array.from([3, 4, 9, 10, 7, 8]), spread: Float32Array.from([0.3, 0.5, 0.4]) };
  const mean = averagePredictions([a, b], 2);
  assert.deepEqual([...mean.trackIds], [1, 2, 3]);
  assert.deepEqual([...mean.raw], [2, 3, 5, 6, 7, 8]);
  assert.deepEqual([...mean.spread!].map((s) => +s.toFixed(6)), [0.2, 0.3, 0.4]);
});

test("averagePredictions: only tracks every member predicted; no spread unless every member has one", () => {
  const a = { trackIds: [1, 2], raw: Float32Array.from([1, 1]), spread: Float32Array.from([0.1, 0.1]) };
  const b = { trackIds: [2, 5], raw: Float32Array.from([3, 5]) };
  const mean = averagePredictions([a, b], 1);
  assert.deepEqual([...mean.trackIds], [2]);
  assert.deepEqual([...mean.raw], [2]);
  assert.equal(mean.spread, undefined);
});

test("averagePredictions refuses no members and rows that do not match their tracks", () => {
  assert.throws(() => averagePredictions([], 2), /at least one member/);
  assert.throws(() => averagePredictions([{ trackIds: [1, 2], raw: new Float32Array(3) }], 2), /member 0: 3 values for 2 tracks × 2 dims/);
  assert.throws(() => averagePredictions([{ trackIds: [1], raw: new Float32Array(2), spread: new Float32Array(2) }], 2), /member 0: 2 spreads for 1 tracks/);
});
