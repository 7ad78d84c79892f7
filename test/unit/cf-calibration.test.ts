// The calibration of predicted scores onto the CF scale and the discovery dial's cap, on small synthetic arrays;
// expectations follow from how the data is built (an exact affine relation, a brute-force capped ranking).
import { test } from "node:test";
import assert from "node:assert/strict";
import { calibrate, fitCfCalibration } from "@curator/worker/model/cf-calibration.js";
import { capCold } from "@curator/server/similarity/recommend.js";
import { Rng } from "@curator/worker/util/random.js";

const K = 4;

test("fitCfCalibration recovers an exact affine relation between predicted and CF scores", () => {
  const rng = new Rng(3);
  const users = Float32Array.from({ length: 5 * K }, () => rng.gaussian());
  const predicted = Float32Array.from({ length: 7 * K }, () => rng.gaussian());
  // CF item = 2.5 · predicted + 0.3 on dimension 0, where every user has a 1: u · cf = 2.5 (u · p) + 0.3 exactly.
  for (let u = 0; u < 5; u++) users[u * K] = 1;
  const cf = Float32Array.from(predicted, (v, j) => 2.5 * v + (j % K === 0 ? 0.3 : 0));
  const fitted = fitCfCalibration(users, cf, predicted, K)!;
  assert.equal(fitted.pairs, 35);
  // float32 storage of the CF rows: agreement to 1e-5.
  assert.ok(Math.abs(fitted.slope - 2.5) < 1e-5 && Math.abs(fitted.intercept - 0.3) < 1e-5 && Math.abs(fitted.correlation - 1) < 1e-5, JSON.stringify(fitted));
  assert.ok(Math.abs(calibrate(fitted, 1) - 2.8) < 1e-5);
});

test("a model that ranks backwards gets slope 0 (every cold track the mean CF score); no spread, no calibration", () => {
  const users = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0]);
  const predicted = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 2, 2, 0, 0]);
  const cf = Float32Array.from(predicted, (v) => -v);
  const fitted = fitCfCalibration(users, cf, predicted, K)!;
  assert.equal(fitted.slope, 0);
  assert.ok(Math.abs(fitted.intercept - -(1 + 0 + 2 + 0 + 1 + 2) / 6) < 1e-9);
  assert.equal(fitCfCalibration(users, new Float32Array(K), new Float32Array(K), K), undefined);
  assert.throws(() => fitCfCalibration(users, cf, predicted.subarray(0, K), K), RangeError);
});

test("capCold keeps the best warm and at most maxCold of the best cold, merged by score", () => {
  const rng = new Rng(9);
  const scores = Float64Array.from({ length: 40 }, () => rng.gaussian());
  const cold = Uint8Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const order = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]! || a - b);
  for (const max of [0, 1, 3, 10, undefined]) {
    const picks = Array.from(capCold(scores, cold, 10, max));
    const warm = order.filter((p) => cold[p] === 0);
    const coldBest = order.filter((p) => cold[p] === 1).slice(0, max ?? 10);
    const expected = order.filter((p) => warm.slice(0, 10).includes(p) || coldBest.includes(p)).slice(0, 10);
    assert.deepEqual(picks, expected, `maxCold ${max}`);
    assert.ok(picks.filter((p) => cold[p] === 1).length <= (max ?? 10));
  }
  assert.throws(() => capCold(scores, cold, 10, -1), RangeError);
});
