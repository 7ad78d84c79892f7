import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { groupMeans } from "@curator/worker/evaluation/group-means.js";

describe("groupMeans", () => {
  const keys = ["a", "b", "a", null];
  const rows = Float32Array.from([1, 2, 10, 20, 3, 6, 5, 0]);

  test("gives each query the mean of the reference rows with its key", () => {
    const { rows: out, fellBack } = groupMeans(keys, rows, ["b", "a", "a"], 2);
    assert.deepEqual([...out], [10, 20, 2, 4, 2, 4]);
    assert.equal(fellBack, 0);
  });

  test("gives an unknown or null key the mean of every reference row, and counts it", () => {
    const { rows: out, fellBack } = groupMeans(keys, rows, ["c", null], 2);
    // (1 + 10 + 3 + 5) / 4 and (2 + 20 + 6 + 0) / 4: a null reference key still counts towards the overall mean.
    assert.deepEqual([...out], [4.75, 7, 4.75, 7]);
    assert.equal(fellBack, 2);
  });

  test("refuses rows that do not match the keys, and no reference at all", () => {
    assert.throws(() => groupMeans(keys, rows.subarray(0, 6), ["a"], 2), /4 reference keys need 8 values, got 6/);
    assert.throws(() => groupMeans([], new Float32Array(0), ["a"], 2), /at least one reference row/);
  });
});
