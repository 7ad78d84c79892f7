// The outlier stage's pure pieces on hand-built arrays: robust statistics, log-mel loudness/silence/speech
// signals, neighbour agreement, near-duplicates, chroma cover matching, title cues and album place, the embedding, the multinomial
// logistic regression trainer, the role/cover/remix models and the grouped folds. Expected values follow from how each array is built.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mad, median, medianCentroid, robustDeviation, trimmedMean, MAD_TO_SD, MAX_DEVIATION } from "@curator/worker/outliers/robust.js";
import { audioSignals, onsetRate } from "@curator/worker/outliers/audio-signals.js";
import { nearestEarlier, neighbourAgreement } from "@curator/worker/outliers/neighbours.js";
import { albumPlace, logDuration, titleCueMatch, titleCueWords } from "@curator/worker/outliers/metadata-signals.js";
import { centredUnitRows, logMelStatistics } from "@curator/worker/outliers/embedding.js";
import { fitMultinomial, predictRow, softmax, solveSpd } from "@curator/worker/outliers/logistic.js";
import { catalogueLabels, applyVerdicts, groupOf } from "@curator/worker/outliers/labels.js";
import { explainRow, groupFolds, MODEL_GROUPS, scoreRow, stratifiedGroupFolds, trainModels } from "@curator/worker/outliers/model.js";
import { buildSignals, CHROMA_SIGNALS, imputeMedians, SIGNAL_KEYS, withoutSignals, type TrackFacts } from "@curator/worker/outliers/signals.js";
import { alignChroma, chromaSummary, nearestEarlierChroma, profileShifts } from "@curator/worker/outliers/chroma-match.js";
import { chromaFilterbank, chromaStft } from "@curator/worker/features/chroma.js";
import { Rng } from "@curator/worker/util/random.js";

const close = (a: number, b: number, tol = 1e-9, what = "") => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

test("median, MAD and trimmed mean ignore the outlier a mean would follow", () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  assert.equal(median([1, NaN, 3]), 2, "non-finite values are left out");
  // |x − 3| = 2, 1, 0, 1, 97 → median 1.
  assert.equal(mad([1, 2, 3, 4, 100]), 1);
  assert.equal(trimmedMean([1, 2, 3, 4, 100], 0.2), 3, "drops 1 and 100");
  assert.throws(() => trimmedMean([1], 0.5));
});

test("robust deviation: leave-one-out median centroid, distances in MAD units", () => {
  // Five peers on a circle of radius 1 around (0, 0) and one track far out at (10, 0).
  const points = [1, 0, 0, 1, -1, 0, 0, -1, Math.SQRT1_2, Math.SQRT1_2, 10, 0];
  const m = Float32Array.from(points);
  const group = [0, 1, 2, 3, 4, 5];
  const centre = medianCentroid(m, 2, [0, 1, 2, 3, 4]);
  assert.deepEqual(Array.from(centre), [0, 0]);
  const far = robustDeviation(m, 2, 5, group);
  assert.equal(far, MAX_DEVIATION, "peers all at distance 1 have no spread, so any other distance is capped");
  // Spread the peers' radii: 1, 2, 3, 4, 5 along the axes → distances from the centroid known exactly.
  const spread = Float32Array.from([1, 0, 0, 2, -3, 0, 0, -4, 5, 0, 0, 13]);
  const c2 = medianCentroid(spread, 2, [0, 1, 2, 3, 4]);
  const dist = [0, 1, 2, 3, 4].map((r) => Math.hypot(spread[2 * r]! - c2[0]!, spread[2 * r + 1]! - c2[1]!));
  const own = Math.hypot(spread[10]! - c2[0]!, spread[11]! - c2[1]!);
  close(robustDeviation(spread, 2, 5, group), (own - median(dist)) / (MAD_TO_SD * mad(dist)), 1e-6, "deviation");
  assert.ok(robustDeviation(spread, 2, 5, group) > 3, "the far track is several deviations out");
  assert.ok(Number.isNaN(robustDeviation(spread, 2, 0, [0, 1, 2])), "two peers give no spread");
});

const FRAME_RATE = 22050 / 1024;
const SCALE = 10000;
/** A log-mel matrix from mel powers, as the features stage stores it. */
function logMel(powers: number[][]): Float32Array {
  return Float32Array.from(powers.flat(), (p) => Math.log1p(SCALE * p));
}

test("audio signals: silence, flatness, centroid spread and energy from log-mel frames", () => {
  const bands = 8;
  const flat = Array(bands).fill(0.01);
  const tonal = [1, ...Array(bands - 1).fill(0)];
  const low = [1, 0, 0, 0, 0, 0, 0, 0];
  const high = [0, 0, 0, 0, 0, 0, 0, 1];
  const silent = Array(bands).fill(0);

  const noise = audioSignals({ data: logMel(Array(20).fill(flat)), nMels: bands, logScale: SCALE, frameRate: FRAME_RATE });
  close(noise.flatness, 1, 1e-4, "equal power in every band is perfectly flat");
  close(noise.silentFraction, 0, 0);
  close(noise.energySpreadDb, 0, 1e-4, "constant energy");
  close(noise.meanEnergyDb, 10 * Math.log10(bands * 0.01), 1e-3, "dB of the summed band powers");
  const tone = audioSignals({ data: logMel(Array(20).fill(tonal)), nMels: bands, logScale: SCALE, frameRate: FRAME_RATE });
  assert.ok(tone.flatness < 1e-3, `one band only: flatness ${tone.flatness}`);
  const faint = audioSignals({ data: logMel(Array(20).fill([1e-9, 0, 0, 0, 0, 0, 0, 0])), nMels: bands, logScale: SCALE, frameRate: FRAME_RATE });
  assert.ok(faint.flatness >= 0 && faint.flatness <= 1, `bands without power keep flatness in [0, 1]: ${faint.flatness}`);

  const half = audioSignals({ data: logMel([...Array(10).fill(flat), ...Array(30).fill(silent)]), nMels: bands, logScale: SCALE, frameRate: FRAME_RATE });
  close(half.silentFraction, 0.75, 1e-12, "30 of 40 frames are zero padding");

  const talk = audioSignals({ data: logMel(Array.from({ length: 20 }, (_, f) => (f % 2 ? low : high))), nMels: bands, logScale: SCALE, frameRate: FRAME_RATE });
  close(talk.centroidSpread, 0.5, 1e-6, "centroid alternates between 0 and 1 of the mel range");
  close(tone.centroidSpread, 0, 1e-9, "a steady tone does not move");
});

test("onset rate counts flux peaks per second", () => {
  const bands = 4;
  const frames = 200;
  const every = 10;
  const powers = Array.from({ length: frames }, (_, f) => Array(bands).fill(f % every === 0 ? 1 : 0.001));
  const rate = onsetRate(logMel(powers), bands, FRAME_RATE);
  // Peaks at frames 10, 20, …, 190 (frame 0 has no predecessor): 19 onsets in 200 frames.
  close(rate, 19 / (frames / FRAME_RATE), 1e-9);
  assert.equal(onsetRate(logMel(Array(50).fill(Array(bands).fill(0.1))), bands, FRAME_RATE), 0, "no change, no onset");
});

test("CF/audio neighbour agreement: same geometry agrees fully, a permuted space does not", () => {
  const rows = [1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9].map(Number);
  const a = Float32Array.from(rows);
  for (let r = 0; r < 4; r++) {
    const norm = Math.hypot(a[2 * r]!, a[2 * r + 1]!);
    a[2 * r] = a[2 * r]! / norm;
    a[2 * r + 1] = a[2 * r + 1]! / norm;
  }
  assert.equal(neighbourAgreement(a, 2, a, 2, 0, 1), 1);
  // b swaps the geometry: item 0 is now beside item 2, not item 1.
  const b = Float32Array.from([a[0]!, a[1]!, a[4]!, a[5]!, a[2]!, a[3]!, a[6]!, a[7]!]);
  assert.equal(neighbourAgreement(a, 2, b, 2, 0, 1), 0);
  assert.ok(Number.isNaN(neighbourAgreement(a.subarray(0, 2), 2, a.subarray(0, 2), 2, 0, 1)), "one item has no neighbours");
});

test("near-duplicates: only earlier tracks count, so the derivative scores and its source does not", () => {
  const unit = Float32Array.from([1, 0, 0.6, 0.8, 0.99, Math.sqrt(1 - 0.99 ** 2)]);
  const order = [1, 2, 3];
  const third = nearestEarlier(unit, 2, 2, order, () => true);
  assert.equal(third.partner, 0);
  close(third.cosine, 0.99, 1e-6);
  const first = nearestEarlier(unit, 2, 0, order, () => true);
  assert.deepEqual(first, { cosine: -1, partner: -1 }, "the original has nothing earlier");
  assert.equal(nearestEarlier(unit, 2, 2, order, (j) => j !== 0).partner, 1, "eligibility filters partners");
});

test("title cues, album place and duration", () => {
  assert.deepEqual(titleCueWords("Raceintro Ks", "intro"), ["intro"]);
  assert.deepEqual(titleCueWords("pingus - game over", "outro"), ["over"]);
  assert.deepEqual(titleCueWords("Feelings (Extended Mix)", "remix"), ["mix", "extended"]);
  assert.deepEqual(titleCueWords("Mixolydian Mode", "remix"), [], "mix only as a whole word");
  assert.deepEqual(titleCueWords("Feelings", "cover"), []);
  assert.deepEqual(titleCueMatch("SuperTux Credits Theme", "outro"), { stems: ["credits"], words: [] }, "a stem names the role");
  assert.deepEqual(titleCueMatch("Win Theme", "outro"), { stems: [], words: ["win"] }, "an ambiguous word is kept apart");
  assert.deepEqual(titleCueWords("Intro Theme", "intro"), ["intro", "theme"], "stems first, then words");
  assert.deepEqual(albumPlace(1, [1, 2, 3]), { first: 1, last: 0, relative: 0 });
  assert.deepEqual(albumPlace(3, [1, 2, 3]), { first: 0, last: 1, relative: 1 });
  assert.deepEqual(albumPlace(2, [1, 2, 3]), { first: 0, last: 0, relative: 0.5 });
  assert.deepEqual(albumPlace(null, [1, 2]), { first: 0, last: 0, relative: 0.5 });
  close(logDuration(Math.E ** 3), 3, 1e-12);
});

test("log-mel statistics embedding: band means and spreads, centred unit rows", () => {
  const stats = logMelStatistics(Float32Array.from([1, 10, 3, 10]), 2);
  assert.deepEqual(Array.from(stats), [2, 10, 1, 0]);
  const unit = centredUnitRows(Float32Array.from([1, 5, 3, 5, 2, 6]), 2);
  for (let r = 0; r < 3; r++) {
    const norm = Math.hypot(unit[2 * r]!, unit[2 * r + 1]!);
    close(norm, 1, 1e-6, `row ${r}`);
  }
});

test("imputeMedians fills NaN with the column median and marks it", () => {
  const v = Float64Array.from([1, NaN, 3, 10, NaN, 20]);
  const missing = imputeMedians(v, 2);
  assert.deepEqual(Array.from(v), [1, 15, 3, 10, 2, 20]);
  assert.deepEqual(Array.from(missing), [0, 1, 0, 0, 1, 0]);
});

test("multinomial logistic regression: three clusters are classified, deterministic, and the gradient vanishes at the fit", () => {
  // Three clusters in 2-D around (−2, 0), (2, 0) and (0, 2.5), class = cluster; one point carries a split target.
  const centres = [[-2, 0], [2, 0], [0, 2.5]];
  const x: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 60; i++) {
    const c = i % 3;
    x.push(centres[c]![0]! + Math.cos(i * 1.7) * 0.9, centres[c]![1]! + Math.sin(i * 2.3) * 0.9);
    labels.push(c);
  }
  const X = Float64Array.from(x);
  const targets = new Float64Array(60 * 3);
  labels.forEach((c, i) => (targets[i * 3 + c] = 1));
  targets.fill(0, 0, 3);
  targets[0] = 0.5;
  targets[1] = 0.5;
  const l2 = 0.1;
  const model = fitMultinomial(X, targets, 2, 3, { l2 });
  const p = Array.from({ length: 60 }, (_, i) => predictRow(model, X, i));
  p.forEach((pi, i) => {
    close(pi.reduce((s, v) => s + v, 0), 1, 1e-12, `example ${i} sums to 1`);
    if (i > 0) assert.equal(pi.indexOf(Math.max(...pi)), labels[i], `example ${i}: p = ${Array.from(pi)}`);
  });
  assert.deepEqual(fitMultinomial(X, targets, 2, 3, { l2 }), model, "same data, same weights");
  // Optimality for classes 1 and 2 (class 0 is the reference): Σ (p_c − r_c) x + 2λ w_c = 0, Σ (p_c − r_c) = 0.
  for (const c of [1, 2]) {
    const grad = [2 * l2 * model.weights[(c - 1) * 2]!, 2 * l2 * model.weights[(c - 1) * 2 + 1]!, 0];
    for (let i = 0; i < 60; i++) {
      const r = p[i]![c]! - targets[i * 3 + c]!;
      grad[0]! += r * X[2 * i]!;
      grad[1]! += r * X[2 * i + 1]!;
      grad[2]! += r;
    }
    for (const g of grad) close(g, 0, 1e-6, `class ${c} gradient`);
  }
  assert.throws(() => fitMultinomial(X, targets, 2, 3, { l2: 0 }), /l2 must be positive/);
  assert.throws(() => fitMultinomial(X, targets.subarray(3), 2, 3, { l2 }), /not 59 rows × 2/);
  assert.deepEqual(Array.from(softmax(Float64Array.from([0, 800]))), [0, 1], "no overflow");
});

test("multinomial with two classes: the unpenalised bias puts P(class 1) at the share of class 1", () => {
  // With one constant-zero feature only the bias is free, and the optimum puts P(class 1) at the share of 1s.
  const X = new Float64Array(10);
  const targets = Float64Array.from({ length: 20 }, (_, i) => ((i >> 1) < 3 ? i % 2 : 1 - (i % 2)));
  const model = fitMultinomial(X, targets, 1, 2, { l2: 1 });
  close(predictRow(model, X, 0)[1]!, 0.3, 1e-9, "three of ten are class 1");
});

test("solveSpd solves a symmetric positive definite system", () => {
  const a = Float64Array.from([4, 2, 0, 2, 5, 1, 0, 1, 3]);
  const z = [1, -2, 0.5];
  const b = Float64Array.from([0, 1, 2], (i) => z.reduce((s, zj, j) => s + a[i * 3 + j]! * zj, 0));
  solveSpd(a, b, 3).forEach((v, i) => close(v, z[i]!, 1e-12));
  assert.throws(() => solveSpd(Float64Array.from([0, 0, 0, 0]), Float64Array.from([1, 1]), 2));
});

test("labels: short tracks by album place, derived tracks by origin, verdicts on top; folds keep groups whole", () => {
  const base = { id: 1, origin: "recording", derivedFromId: null, isShort: true, isSilent: false, first: true, last: false };
  assert.deepEqual(catalogueLabels(base), new Set(["INTRO"]));
  assert.deepEqual(catalogueLabels({ ...base, first: false, last: true }), new Set(["OUTRO"]));
  assert.deepEqual(catalogueLabels({ ...base, first: false }), new Set(["INTERLUDE"]));
  assert.deepEqual(catalogueLabels({ ...base, isShort: false, origin: "derived-remix", derivedFromId: 7 }), new Set(["REMIX"]));
  assert.deepEqual(catalogueLabels({ ...base, isShort: false }), new Set());
  assert.equal(catalogueLabels({ ...base, isSilent: true }), undefined);
  assert.deepEqual(applyVerdicts(new Set(["INTRO"]), [{ kind: "INTRO", status: "REJECTED" }, { kind: "COVER", status: "CONFIRMED" }]), new Set(["COVER"]));
  assert.equal(groupOf({ id: 9, derivedFromId: 3 }), 3);

  const groups = [1, 1, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9];
  const labels = groups.map((g) => new Set(g % 3 === 0 ? (["REMIX"] as const) : []));
  for (const folds of [groupFolds(groups, 3, 5), stratifiedGroupFolds(groups, labels, 3, 5)]) {
    const foldOfGroup = new Map<number, number>();
    groups.forEach((g, i) => {
      if (foldOfGroup.has(g)) assert.equal(folds[i], foldOfGroup.get(g), `group ${g} split across folds`);
      foldOfGroup.set(g, folds[i]!);
    });
    assert.deepEqual(new Set(folds), new Set([0, 1, 2]));
  }
  const remixFolds = new Set(groups.flatMap((g, i) => (g % 3 === 0 ? [stratifiedGroupFolds(groups, labels, 3, 5)[i]!] : [])));
  assert.equal(remixFolds.size, 3, "the three REMIX groups go to three different folds");
});

/** frames × 12 chroma: `blocks` chords (random pitch-class weights), each held for `hold` frames. */
function chords(rng: Rng, blocks: number, hold = 1): Float32Array {
  const out = new Float32Array(blocks * hold * 12);
  for (let b = 0; b < blocks; b++) {
    const chord = Array.from({ length: 12 }, () => rng.next());
    for (let f = 0; f < hold; f++) out.set(chord, (b * hold + f) * 12);
  }
  return out;
}

/** A copy of blocks-level chroma played `ratio` times as fast around the middle and transposed up `semitones`. */
function transformed(source: Float32Array, ratio: number, semitones: number, length: number): Float32Array {
  const n = source.length / 12;
  const out = new Float32Array(length * 12);
  for (let i = 0; i < length; i++) {
    const j = Math.round((n - 1) / 2 + (i - (length - 1) / 2) * ratio);
    for (let c = 0; c < 12; c++) out[i * 12 + ((c + semitones) % 12)] = source[j * 12 + c]!;
  }
  return out;
}

test("chroma summary: blocks averaged, centred and unit length; silence is unvoiced; profile is the unit mean", () => {
  // Two frames per block: C major triad then silence, then A alone.
  const frame = (classes: number[]) => Array.from({ length: 12 }, (_, c) => (classes.includes(c) ? 1 : 0));
  const data = Float32Array.from([frame([0, 4, 7]), frame([0, 4, 7]), frame([]), frame([]), frame([9]), frame([9]), frame([9])].flat());
  const s = chromaSummary(data, 12, 2);
  assert.equal(s.nBlocks, 3, "the one-frame tail is dropped");
  assert.deepEqual(Array.from(s.voiced), [1, 0, 1]);
  assert.equal(s.voicedCount, 2);
  // Triad block: 1 − 3/12 on three classes, −3/12 on nine; unit length.
  const norm = Math.sqrt(3 * 0.75 ** 2 + 9 * 0.25 ** 2);
  close(s.blocks[0]!, 0.75 / norm, 1e-6, "C");
  close(s.blocks[1]!, -0.25 / norm, 1e-6, "C#");
  assert.ok(s.blocks.subarray(12, 24).every((v) => v === 0), "silence stays zero");
  const profile = Array.from(s.profile);
  close(Math.hypot(...profile), 1, 1e-6, "unit profile");
  close(profile[0]! / profile[9]!, 1, 1e-6, "C and A each sound in one block");
  assert.throws(() => chromaSummary(new Float32Array(13), 12, 2), /not frames of 12/);
});

test("chroma alignment finds a transposed, faster copy and scores unrelated music low", () => {
  const rng = new Rng(5);
  const source = chords(rng, 48);
  const ratio = 1.03 ** 3;
  const copy = chromaSummary(transformed(source, ratio, 3, 40), 12, 1);
  const sourceSummary = chromaSummary(source, 12, 1);
  const match = alignChroma(copy, sourceSummary);
  close(match.similarity, 1, 1e-5, "a pure rotation and stretch aligns exactly");
  close(match.ratio, ratio, 1e-12, "tempo ratio");
  assert.equal(match.shift, 9, "the source sits 9 (= −3) pitch classes above the copy");
  assert.equal(match.offset, 0);
  assert.equal(profileShifts(copy, sourceSummary)[0]!.shift, 9, "the profiles agree on the transposition");
  const unrelated = alignChroma(chromaSummary(chords(rng, 40), 12, 1), sourceSummary);
  assert.ok(unrelated.similarity < 0.4, `unrelated chords correlate ${unrelated.similarity}`);
  // Block averaging: the same holds when every chord lasts several frames.
  const held = alignChroma(chromaSummary(transformed(chords(new Rng(5), 48, 1), ratio, 3, 40), 12, 1), chromaSummary(chords(new Rng(5), 48, 4), 12, 4));
  close(held.similarity, 1, 1e-5, "held chords");
});

test("nearest earlier chroma: only earlier, eligible, voiced tracks; the copy finds its source", () => {
  const rng = new Rng(8);
  const sources = [0, 1, 2].map(() => chords(rng, 48));
  const items = [
    ...sources.map((s) => chromaSummary(s, 12, 1)),
    chromaSummary(transformed(sources[1]!, 1.03 ** -2, 2, 40), 12, 1),
    chromaSummary(new Float32Array(40 * 12), 12, 1),
  ];
  const order = [0, 1, 2, 3, 4];
  const all = () => true;
  const found = nearestEarlierChroma(items, 3, order, all, 2);
  assert.equal(found.partner, 1);
  assert.ok(found.similarity > 0.99);
  assert.equal(nearestEarlierChroma(items, 1, order, all, 2).partner, 0, "the source can only look back, and finds no copy of itself");
  assert.ok(nearestEarlierChroma(items, 1, order, all, 2).similarity < 0.4);
  assert.notEqual(nearestEarlierChroma(items, 3, order, (j) => j !== 1, 3).partner, 1, "an ineligible source is never the partner");
  assert.ok(Number.isNaN(nearestEarlierChroma(items, 4, order, all, 4).similarity), "silence matches nothing");
  assert.equal(nearestEarlierChroma(items, 0, order, all, 4).partner, -1, "the first track has nothing earlier");
});

test("chroma of a tone peaks at its pitch class and moves with a transposition", () => {
  const tone = (hz: number) => Float32Array.from({ length: 22050 }, (_, n) => Math.sin((2 * Math.PI * hz * n) / 22050));
  const peak = (y: Float32Array) => {
    const c = chromaStft(y);
    const totals = new Float64Array(12);
    for (let f = 0; f < c.nFrames; f++) for (let k = 0; k < 12; k++) totals[k]! += c.data[f * 12 + k]!;
    return totals.indexOf(Math.max(...totals));
  };
  assert.equal(peak(tone(440)), 9, "A");
  assert.equal(peak(tone(440 * 2 ** (3 / 12))), 0, "three semitones up: C");
  assert.equal(peak(tone(261.63)), 0, "middle C");
  const bank = chromaFilterbank();
  assert.equal(bank.weights.length, 12 * 1025);
});

test("withoutSignals holds the named columns constant and marks them missing", () => {
  const d = SIGNAL_KEYS.length;
  const values = Float64Array.from({ length: 2 * d }, (_, i) => i + 1);
  const matrix = { values, missing: new Uint8Array(2 * d), contexts: [] };
  const out = withoutSignals(matrix, CHROMA_SIGNALS);
  const j = SIGNAL_KEYS.indexOf("coverChroma");
  assert.equal(out.values[j], 0);
  assert.equal(out.values[d + j], 0);
  assert.equal(out.missing[d + j], 1);
  assert.equal(out.values[0], 1, "other columns untouched");
  assert.equal(values[j], j + 1, "the input is not changed");
  assert.throws(() => withoutSignals(matrix, ["nope"]), /no signal nope/);
});

/** Three tracks on one album (a short opener, a short track between, a long closer) and a short lone single. */
function placeTracks(): TrackFacts[] {
  const t = (id: number, title: string, position: number | null, durationSec: number, albumId: number | null = 1): TrackFacts =>
    ({ id, title, artistId: 1, artistName: "A", albumId, position, durationSec, isShort: durationSec < 45 });
  return [t(1, "Intro Theme", 1, 20), t(2, "Race Win Theme", 2, 14), t(3, "Credits", 3, 200), t(4, "Jingle", null, 10, null)];
}

test("signal matrix: short tracks by album place, title stems and words in their own columns", () => {
  const tracks = placeTracks();
  const none = { unit: new Float32Array(0), dims: 2, rowOf: new Map<number, number>(), label: "none" };
  const m = buildSignals({ tracks, audio: tracks.map(() => undefined), audioSpace: none, embedding: none });
  const at = (i: number, key: string) => m.values[i * SIGNAL_KEYS.length + SIGNAL_KEYS.indexOf(key)];
  assert.deepEqual([0, 1, 2, 3].map((i) => at(i, "shortOpener")), [1, 0, 0, 0]);
  assert.deepEqual([0, 1, 2, 3].map((i) => at(i, "shortCloser")), [0, 0, 0, 0], "the closer is long");
  assert.deepEqual([0, 1, 2, 3].map((i) => at(i, "shortBetween")), [0, 1, 0, 1], "a short single is at no edge");
  assert.deepEqual([0, 1, 2, 3].map((i) => at(i, "title:intro")), [1, 0, 0, 0]);
  assert.deepEqual([0, 1, 2, 3].map((i) => at(i, "title:intro:word")), [1, 1, 0, 0], "“theme”");
  assert.deepEqual([0, 1, 2, 3].map((i) => at(i, "title:outro")), [0, 0, 1, 0], "“credits”");
  assert.deepEqual([0, 1, 2, 3].map((i) => at(i, "title:outro:word")), [0, 1, 0, 0], "“win”");
  // Shortness is the ingest's flag (the labels' test), not a second reading of the rounded length.
  const flagged = tracks.map((t) => (t.id === 3 ? { ...t, durationSec: 45, isShort: true } : t));
  const f = buildSignals({ tracks: flagged, audio: tracks.map(() => undefined), audioSpace: none, embedding: none });
  assert.equal(f.values[2 * SIGNAL_KEYS.length + SIGNAL_KEYS.indexOf("shortCloser")], 1);
  assert.equal(at(0, "artistDeviation"), 0, "no audio space: imputed");
  assert.equal(m.missing[SIGNAL_KEYS.indexOf("artistDeviation")], 1);
});

test("role model: intro, outro and interlude share one softmax, cover and remix are binary; reasons name the signals", () => {
  // Rows of a signal matrix where one column marks each role and the cover; the rest is noise.
  const d = SIGNAL_KEYS.length;
  const marks = { INTRO: "shortOpener", OUTRO: "shortCloser", INTERLUDE: "shortBetween", COVER: "coverChroma" } as const;
  const kinds = ["INTRO", "OUTRO", "INTERLUDE", "COVER", undefined] as const;
  const rng = new Rng(3);
  const n = 100;
  const values = Float64Array.from({ length: n * d }, () => rng.next() * 0.1);
  const labels: Set<"INTRO" | "OUTRO" | "INTERLUDE" | "COVER" | "REMIX">[] = [];
  for (let i = 0; i < n; i++) {
    const kind = kinds[i % kinds.length];
    if (kind) values[i * d + SIGNAL_KEYS.indexOf(marks[kind])] = 1;
    // Every role is short (20 s against 200 s): evidence for each role against none, not for one role against another.
    values[i * d + SIGNAL_KEYS.indexOf("logDuration")]! += Math.log(kind && kind !== "COVER" ? 20 : 200);
    labels.push(new Set(kind ? [kind] : []));
  }
  const signals = { values, missing: new Uint8Array(n * d), contexts: Array.from({ length: n }, () => ({ titleCues: {} as never, audioLabel: "audio" })) };
  const rows = Array.from({ length: n }, (_, i) => i);
  const labelled = { rows, labels, groups: rows };
  const models = trainModels(signals, labelled, 1);
  assert.deepEqual(models.map((m) => m.kinds), MODEL_GROUPS);
  assert.deepEqual(models[0]!.positives, [20, 20, 20]);
  for (let i = 0; i < 5; i++) {
    const roles = scoreRow(models[0]!, signals, i);
    assert.deepEqual(explainRow(models[0]!, signals, i).scores, roles, "the explained scores are scoreRow's");
    assert.ok(roles.reduce((s, v) => s + v, 0) < 1, `example ${i}: the roles share one distribution`);
    const kind = kinds[i];
    const best = roles.indexOf(Math.max(...roles));
    if (kind === "INTRO" || kind === "OUTRO" || kind === "INTERLUDE") assert.equal(models[0]!.kinds[best], kind, `example ${i}`);
    else assert.ok(Math.max(...roles) < 0.5, `example ${i} has no role: ${Array.from(roles)}`);
    assert.equal(scoreRow(models[1]!, signals, i)[0]! >= 0.5, kind === "COVER", `example ${i} cover`);
    assert.ok(scoreRow(models[2]!, signals, i)[0]! < 0.5, "no remix was labelled");
  }
  assert.match(explainRow(models[0]!, signals, 2).reasons("INTERLUDE"), /neither first nor last/);
  // A track that is both a short opener and a short track between: its intro reasons are what sets it apart from
  // the interlude it might also be (first on album), not what the two share (being short).
  const both = Float64Array.from(values);
  both[SIGNAL_KEYS.indexOf("shortBetween")] = 1;
  const mixed = { ...signals, values: both };
  const roles = scoreRow(models[0]!, mixed, 0);
  assert.ok(roles[0]! > 0.2 && roles[2]! > 0.2, `both roles are likely: ${Array.from(roles)}`);
  const why = explainRow(models[0]!, mixed, 0).reasons("INTRO");
  assert.match(why, /first on album/);
  assert.doesNotMatch(why, /neither first nor last|s long/);
  assert.throws(() => explainRow(models[1]!, signals, 0).reasons("INTRO"), /does not score INTRO/);
});
