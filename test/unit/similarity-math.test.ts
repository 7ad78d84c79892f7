// Pure similarity functions on typed arrays; expectations are derived here by brute force or by definition.
import { test } from "node:test";
import assert from "node:assert/strict";
import { topK } from "@curator/server/similarity/top-k.js";
import { dot, interpolate, medianOfPositive } from "@curator/server/similarity/vectors.js";
import { blendHybrid } from "@curator/server/similarity/hybrid.js";
import { recommend } from "@curator/server/similarity/recommend.js";
import { interiorPoints, planPath } from "@curator/server/similarity/sonic-path.js";
import { sharedUnits } from "@curator/server/similarity/why-similar.js";
import { passesFilters } from "@curator/server/similarity/filters.js";
import { gaussianRows } from "../support/indexed-api.js";

const norm = (v: Float32Array): number => Math.sqrt(dot(v, 0, v, 0, v.length));
const unit = (v: number[]): Float32Array => {
  const a = Float32Array.from(v);
  const n = norm(a);
  return a.map((x) => x / n);
};

test("topK equals a full sort, skips NaN, breaks ties by position", () => {
  const scores = Float64Array.from(gaussianRows(500, 1, 1));
  for (const k of [0, 1, 7, 500, 600]) {
    const expected = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, k);
    assert.deepEqual([...topK(scores, k)], expected, `k = ${k}`);
  }
  assert.deepEqual([...topK(Float64Array.from([1, NaN, 3, 3, 2]), 4)], [2, 3, 4, 0]);
  assert.throws(() => topK(scores, -1), RangeError);
});

test("interpolate: ends, unit length, slerp at equal angles, lerp differs, opposite ends refused", () => {
  const a = unit([1, 0, 0]);
  const b = unit([0, 1, 0]);
  assert.deepEqual([...interpolate(a, b, 0)], [...a]);
  for (const t of [0, 0.25, 0.5, 1]) assert.ok(Math.abs(norm(interpolate(a, b, t)) - 1) < 1e-6);
  // Slerp moves at constant angular speed: at t the angle to a is t·90°.
  const q = interpolate(a, b, 0.25);
  assert.ok(Math.abs(Math.acos(dot(q, 0, a, 0, 3)) - Math.PI / 8) < 1e-6);
  const l = interpolate(a, b, 0.25, "lerp");
  assert.ok(Math.abs(l[1]! / l[0]! - 1 / 3) < 1e-6, "lerp keeps the chord's proportions");
  assert.ok(Math.abs(Math.acos(dot(l, 0, a, 0, 3)) - Math.PI / 8) > 1e-3);
  const mid = interpolate(a, b, 0.5);
  assert.ok(Math.abs(dot(mid, 0, a, 0, 3) - dot(mid, 0, b, 0, 3)) < 1e-6);
  assert.throws(() => interpolate(a, unit([-1, 0, 0]), 0.5), /opposite/);
  assert.throws(() => interpolate(a, b, 1.5), RangeError);
});

test("medianOfPositive ignores zero norms", () => {
  assert.equal(medianOfPositive(Float32Array.from([0, 3, 1, 0, 2])), 2);
  assert.equal(medianOfPositive(Float32Array.from([4, 0, 1, 3, 2])), 2.5);
  assert.ok(Number.isNaN(medianOfPositive(Float32Array.from([0, 0]))));
});

test("blendHybrid: w·cf + (1−w)·audio, one side alone where the other is missing", () => {
  const out = blendHybrid([0.8, NaN, 0.2, NaN], [0.4, 0.6, NaN, NaN], 0.25);
  assert.ok(Math.abs(out[0]! - (0.25 * 0.8 + 0.75 * 0.4)) < 1e-12);
  assert.equal(out[1], 0.6);
  assert.equal(out[2], 0.2);
  assert.ok(Number.isNaN(out[3]!));
  assert.deepEqual([...blendHybrid([0.8], [0.4], 1)], [0.8]);
  assert.throws(() => blendHybrid([1], [1], 1.5), RangeError);
});

test("recommend: raw inner products, training tracks excluded, cold tracks scaled, selection modes", () => {
  const user = Float32Array.from([1, 2, 0.5]);
  // Tracks 10..13 have CF factors, 14 has a zero row (cold), 15 is absent from the CF set (new since the fit).
  const cf = {
    trackIds: Int32Array.from([10, 11, 12, 13, 14]),
    raw: Float32Array.from([1, 0, 0, 0, 2, 0, 3, 3, 3, 0, 0, 1, 0, 0, 0]),
    norms: Float32Array.from([1, 2, Math.sqrt(27), 1, 0]),
    rowOfTrack: new Map([10, 11, 12, 13, 14].map((id, row) => [id, row])),
  };
  const predUnit = Float32Array.from([...unit([1, 0, 0]), ...unit([0, 1, 1]), ...unit([0, 1, 0])]);
  const predicted = { trackIds: Int32Array.from([10, 14, 15]), unit: predUnit, norms: Float32Array.from([1, 1, 1]) };
  const all = recommend({ user, cf, predicted, coldScale: 2, exclude: new Set([12]), select: "all", k: 10 });
  const expected = [
    { trackId: 11, score: 4, cold: false },
    { trackId: 15, score: 4, cold: true },
    { trackId: 14, score: (2.5 / Math.SQRT2) * 2, cold: true },
    { trackId: 10, score: 1, cold: false },
    { trackId: 13, score: 0.5, cold: false },
  ];
  assert.equal(all.length, expected.length);
  for (const [i, want] of expected.entries()) {
    assert.equal(all[i]!.trackId, want.trackId);
    assert.equal(all[i]!.cold, want.cold);
    assert.ok(Math.abs(all[i]!.score - want.score) < 1e-5);
  }
  assert.deepEqual(recommend({ user, cf, predicted, coldScale: 2, exclude: new Set(), select: "cold", k: 10 }).map((r) => r.trackId), [15, 14]);
  assert.deepEqual(recommend({ user, cf, predicted, coldScale: 2, exclude: new Set(), select: "warm", k: 2 }).map((r) => r.trackId), [12, 11]);
  assert.deepEqual(recommend({ user, cf, coldScale: 2, exclude: new Set(), select: "cold", k: 10 }), []);
});

test("planPath: starts at A, ends at B, never repeats, skips used neighbours", () => {
  // Interior points 1..3, 4 neighbours each; 7 is the nearest to every point and may be used once.
  const neighbours = Float64Array.from([7, 1, 2, 3, 7, 1, 9, 3, 7, 9, 4, -1]);
  assert.deepEqual(planPath(1, 9, neighbours, 4), [1, 7, 3, 4, 9]);
  assert.deepEqual(planPath(1, 9, new Float64Array(0), 2), [1, 9]);
  assert.throws(() => planPath(1, 9, Float64Array.from([1, 9, -1]), 3), /no unused track/);
  assert.throws(() => planPath(4, 4, new Float64Array(0), 2), RangeError);
});

test("interiorPoints are length − 2 unit points evenly spaced in angle", () => {
  const a = unit([1, 0]);
  const b = unit([0, 1]);
  const points = interiorPoints(a, b, 5);
  assert.equal(points.length, 3 * 2);
  for (let i = 0; i < 3; i++) {
    const angle = Math.atan2(points[2 * i + 1]!, points[2 * i]!);
    assert.ok(Math.abs(angle - ((i + 1) * Math.PI) / 8) < 1e-6);
  }
});

test("sharedUnits ranks the units both tracks activate by their term of the inner product", () => {
  const a = Float32Array.from([0.9, 0, 2, 0.5, 1]);
  const b = Float32Array.from([1, 3, 0.1, 0.5, 0.8]);
  const names = ["choir", "drums", "chiptune", "piano", "strings"];
  const shared = sharedUnits(a, b, names, 3);
  assert.deepEqual(shared.map((u) => u.name), ["choir", "strings", "piano"]);
  const total = 0.9 * 1 + 2 * 0.1 + 0.5 * 0.5 + 1 * 0.8;
  assert.ok(Math.abs(shared[0]!.contribution - 0.9) < 1e-6);
  assert.ok(Math.abs(shared[0]!.share - 0.9 / total) < 1e-6);
  assert.equal(sharedUnits(a, b, names, 10).length, 4, "a unit silent for one track explains nothing");
  assert.throws(() => sharedUnits(a, b, names.slice(1), 3), /4 names for 5 units/);
});

test("filters: same album, same artist, duration range", () => {
  const q = { id: 1, artistId: 1, albumId: 5, durationSec: 100 };
  assert.equal(passesFilters(q, { id: 2, artistId: 2, albumId: 5, durationSec: 100 }, { excludeSameAlbum: true }), false);
  assert.equal(passesFilters(q, { id: 2, artistId: 1, albumId: null, durationSec: 100 }, { excludeSameAlbum: true }), true);
  assert.equal(passesFilters(q, { id: 2, artistId: 1, albumId: 6, durationSec: 100 }, { excludeSameArtist: true }), false);
  assert.equal(passesFilters(q, { id: 2, artistId: 2, albumId: 6, durationSec: 30 }, { minDurationSec: 45, maxDurationSec: 200 }), false);
  assert.equal(passesFilters(q, { id: 2, artistId: 2, albumId: 6, durationSec: 60 }, { minDurationSec: 45, maxDurationSec: 200 }), true);
});
