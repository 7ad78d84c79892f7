import assert from "node:assert/strict";
import { test } from "node:test";
import { forEachPowerFrame, frameCount } from "@curator/worker/features/stft.js";

// Under the periodic Hann window (its samples sum to nFft / 2) a sine of amplitude A centred on bin k has
// |X_k| = A · nFft / 4, a constant c has |X_0| = c · nFft / 2, and bins two or more away are zero.
test("power frames of a bin-centred sine and a constant have the analytic peaks", () => {
  const nFft = 2048;
  const bin = 100;
  const amplitude = 0.5;
  const y = new Float32Array(nFft + 3 * 512).map((_, n) => 0.25 + amplitude * Math.sin((2 * Math.PI * bin * n) / nFft));
  const peaks: number[] = [];
  const nFrames = forEachPowerFrame(y, { nFft, hopLength: 512 }, (power, frame) => {
    assert.equal(power.length, nFft / 2 + 1);
    assert.ok(Math.abs(power[0]! / ((0.25 * nFft) / 2) ** 2 - 1) < 1e-5, `frame ${frame}: DC ${power[0]}`);
    assert.ok(power[bin + 5]! < 1e-6 * power[bin]!, `frame ${frame}: leakage ${power[bin + 5]}`);
    peaks.push(power[bin]!);
  });
  assert.equal(nFrames, frameCount(y.length, nFft, 512));
  assert.equal(peaks.length, 4);
  for (const peak of peaks) assert.ok(Math.abs(peak / ((amplitude * nFft) / 4) ** 2 - 1) < 1e-5, `peak ${peak}`);
});

test("sizes pffft cannot transform and mismatched windows are refused", () => {
  const y = new Float32Array(4096);
  assert.throws(() => forEachPowerFrame(y, { nFft: 1000, window: new Float64Array(1000) }, () => {}), RangeError);
  assert.throws(() => forEachPowerFrame(y, { nFft: 2048, window: new Float64Array(1024) }, () => {}), RangeError);
  assert.equal(forEachPowerFrame(y, { nFft: 1536, hopLength: 1024 }, () => {}), 3);
});

test("a frame callback that plans another size (growing the wasm heap) leaves the outer frames intact", () => {
  const y = new Float32Array(8192).map((_, n) => Math.sin(n / 7));
  const plain: number[] = [];
  forEachPowerFrame(y, {}, (power) => plain.push(power[60]!));
  const nested: number[] = [];
  let size = 2 ** 15;
  forEachPowerFrame(y, {}, (power) => {
    nested.push(power[60]!);
    forEachPowerFrame(new Float32Array(size), { nFft: size, hopLength: size }, () => {});
    size *= 2;
  });
  assert.deepEqual(nested, plain);
});
