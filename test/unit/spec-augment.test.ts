// SpecAugment masks on training crops: what is zeroed, what is left alone, and that a seed repeats them.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { maskCrops, NO_MASKS, type MaskOptions } from "@curator/worker/model/spec-augment.js";
import { Rng } from "@curator/worker/util/random.js";

const FRAMES = 40;
const BINS = 16;

/** Crops whose every value is non-zero, so a 0 can only be a mask. */
function crops(count: number): Float32Array {
  return Float32Array.from({ length: count * FRAMES * BINS }, (_, i) => 1 + (i % 97));
}

/** Per crop: the mel bins that are 0 in every frame, and the frames that are 0 in every bin. */
function maskedLines(batch: Float32Array, crop: number): { bins: number[]; frames: number[] } {
  const at = (t: number, b: number) => batch[crop * FRAMES * BINS + t * BINS + b]!;
  const bins = [...Array(BINS).keys()].filter((b) => [...Array(FRAMES).keys()].every((t) => at(t, b) === 0));
  const frames = [...Array(FRAMES).keys()].filter((t) => [...Array(BINS).keys()].every((b) => at(t, b) === 0));
  return { bins, frames };
}

/** The lengths of the runs of consecutive numbers in an ascending list. */
function runLengths(sorted: number[]): number[] {
  const runs: number[] = [];
  sorted.forEach((v, i) => (i > 0 && v === sorted[i - 1]! + 1 ? runs[runs.length - 1]!++ : runs.push(1)));
  return runs;
}

describe("SpecAugment masks", () => {
  test("no masks leave the crops as they were", () => {
    const batch = crops(3);
    assert.deepEqual(maskCrops(batch.slice(), FRAMES, BINS, NO_MASKS, new Rng(1)), batch);
  });

  test("every zero lies in a whole masked band or span, each no wider than its maximum", () => {
    const masks: MaskOptions = { freqMasks: 1, freqMaskWidth: 4, timeMasks: 1, timeMaskWidth: 6 };
    const rng = new Rng(7);
    let maskedSomething = 0;
    for (let round = 0; round < 50; round++) {
      const batch = maskCrops(crops(4), FRAMES, BINS, masks, rng);
      for (let crop = 0; crop < 4; crop++) {
        const { bins, frames } = maskedLines(batch, crop);
        // One mask of each kind: at most one run each (a run may be empty: widths start at 0).
        assert.ok(runLengths(bins).length <= 1 && bins.length <= masks.freqMaskWidth, `bins ${bins}`);
        assert.ok(runLengths(frames).length <= 1 && frames.length <= masks.timeMaskWidth, `frames ${frames}`);
        for (let t = 0; t < FRAMES; t++) {
          for (let b = 0; b < BINS; b++) {
            const zero = batch[crop * FRAMES * BINS + t * BINS + b] === 0;
            assert.equal(zero, bins.includes(b) || frames.includes(t), `crop ${crop}, frame ${t}, bin ${b}`);
          }
        }
        maskedSomething += bins.length + frames.length;
      }
    }
    assert.ok(maskedSomething > 0);
  });

  test("widths cover 0 up to the maximum, and masks reach both edges", () => {
    const masks: MaskOptions = { freqMasks: 1, freqMaskWidth: 3, timeMasks: 0, timeMaskWidth: 0 };
    const rng = new Rng(3);
    const widths = new Set<number>();
    const edges = new Set<string>();
    for (let round = 0; round < 400; round++) {
      const { bins } = maskedLines(maskCrops(crops(1), FRAMES, BINS, masks, rng), 0);
      widths.add(bins.length);
      if (bins[0] === 0) edges.add("low");
      if (bins.at(-1) === BINS - 1) edges.add("high");
    }
    assert.deepEqual([...widths].sort(), [0, 1, 2, 3]);
    assert.deepEqual([...edges].sort(), ["high", "low"]);
  });

  test("the same seed masks alike; another seed differently", () => {
    const masks: MaskOptions = { freqMasks: 2, freqMaskWidth: 5, timeMasks: 2, timeMaskWidth: 8 };
    const a = maskCrops(crops(8), FRAMES, BINS, masks, new Rng(11));
    assert.deepEqual(maskCrops(crops(8), FRAMES, BINS, masks, new Rng(11)), a);
    assert.notDeepEqual(maskCrops(crops(8), FRAMES, BINS, masks, new Rng(12)), a);
  });

  test("masks wider than the crop are held to it; a batch of partial crops is refused", () => {
    const masks: MaskOptions = { freqMasks: 1, freqMaskWidth: 1000, timeMasks: 1, timeMaskWidth: 1000 };
    const batch = maskCrops(crops(2), FRAMES, BINS, masks, new Rng(5));
    assert.ok(batch.every(Number.isFinite));
    assert.throws(() => maskCrops(new Float32Array(FRAMES * BINS + 1), FRAMES, BINS, masks, new Rng(5)), /not a whole number of 40 × 16 crops/);
  });
});
