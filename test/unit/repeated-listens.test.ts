import { test } from "node:test";
import assert from "node:assert/strict";
import { rangesWithin, repeatedListens } from "@curator/worker/ingest/listens/repeated-listens.js";
import { mulberry32 } from "@curator/worker/util/random.js";

test("a listen repeats only an earlier one of the same pair at the same time; the first stays", () => {
  //             0  1  2  3  4  5  6
  const pairs = [0, 0, 1, 0, 1, 0, 2];
  const times = [5, 7, 5, 5, 5, 5, 7.5];
  assert.deepEqual(repeatedListens(pairs, times), [3, 4, 5]);
  assert.deepEqual(repeatedListens([], []), []);
  assert.throws(() => repeatedListens([0, 1], [5]), /2 pairs but 1 times/);
});

test("repeated listens match the pairwise definition on random listens", () => {
  const rng = mulberry32(7);
  const n = 2000;
  // Few pairs and times, so repeats are common and some listens repeat several times.
  const pairs = Float64Array.from({ length: n }, () => Math.floor(rng() * 40));
  const times = Float64Array.from({ length: n }, () => Math.floor(rng() * 60) * 1000);
  const expected: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (pairs[j] === pairs[i] && times[j] === times[i]) {
        expected.push(i);
        break;
      }
    }
  }
  assert.ok(expected.length > 100 && expected.length < n - 100);
  assert.deepEqual(repeatedListens(pairs, times), expected);
});

test("pairs are cut into consecutive ranges whose listens fit the budget, a pair above it alone", () => {
  assert.deepEqual(rangesWithin([2, 3, 1, 9, 4, 1], 5), [
    { start: 0, end: 2, listens: 5 },
    { start: 2, end: 3, listens: 1 },
    { start: 3, end: 4, listens: 9 },
    { start: 4, end: 6, listens: 5 },
  ]);
  assert.deepEqual(rangesWithin([], 5), []);
  assert.deepEqual(rangesWithin([1, 1, 1], 100), [{ start: 0, end: 3, listens: 3 }]);
});
