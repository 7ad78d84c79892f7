import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { logMelSpectrogram } from "@curator/worker/features/logmel.js";
import { delta, timbreStatisticNames, timbreStatistics } from "@curator/worker/features/timbre-stats.js";
import { baselineInputs, fitMfccBaseline, loadMfccBaseline, predictMfccBaseline, saveMfccBaseline } from "@curator/worker/model/mfcc-baseline.js";
import { Rng } from "@curator/worker/util/random.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

function python(): string {
  const out = execFileSync("bash", [join(root, "scripts/python-env.sh"), "test"], { encoding: "utf8" });
  return out.trim().split("\n").at(-1)!;
}

/** A music-like excerpt: a chord with vibrato, a gated high tone, a sweep and seeded noise (every band has energy). */
function signal(seed: number, samples = 22050 * 12): Float32Array {
  const rng = new Rng(seed);
  const f0 = 110 + 220 * rng.next();
  return Float32Array.from({ length: samples }, (_, i) => {
    const t = i / 22050;
    const gate = Math.sin(2 * Math.PI * 2 * t) > 0 ? 1 : 0.1;
    return (
      0.3 * Math.sin(2 * Math.PI * f0 * t * (1 + 0.01 * Math.sin(2 * Math.PI * 5 * t))) +
      0.15 * Math.sin(2 * Math.PI * 1.5 * f0 * t) +
      0.1 * gate * Math.sin(2 * Math.PI * 3520 * t) +
      0.1 * Math.sin(2 * Math.PI * (50 + 400 * t) * t) +
      0.05 * (rng.next() - 0.5)
    );
  });
}

describe("timbre statistics", () => {
  test("match librosa 0.11 (MFCC, delta, flatness) and a NumPy reference (contrast, flux) computed in this run", () => {
    const work = mkdtempSync(join(tmpdir(), "timbre-stats-"));
    try {
      const py = python();
      for (const seed of [1, 2]) {
        const logMel = logMelSpectrogram(signal(seed));
        const input = join(work, `logmel-${seed}.f32`);
        const output = join(work, `stats-${seed}.f32`);
        writeFileSync(input, logMel.data);
        execFileSync(py, [join(root, "test/reference/timbre_stats.py"), input, String(logMel.nFrames), output]);
        const bytes = readFileSync(output);
        const reference = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
        const ours = timbreStatistics(logMel.data);
        const names = timbreStatisticNames();
        assert.equal(ours.length, names.length);
        assert.equal(reference.length, ours.length, "the reference has the same statistics");
        for (let i = 0; i < ours.length; i++) {
          const tolerance = 1e-3 * Math.max(1, Math.abs(reference[i]!));
          assert.ok(Math.abs(ours[i]! - reference[i]!) <= tolerance, `${names[i]}: ours ${ours[i]}, reference ${reference[i]}`);
        }
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test("delta is the slope of a line, at the edges too, and refuses too few frames", () => {
    const line = Float32Array.from({ length: 12 }, (_, t) => 3 * t - 1);
    assert.deepEqual([...delta(line, 1, 9)].map((v) => Math.round(v * 1e6) / 1e6), Array(12).fill(3));
    assert.throws(() => delta(new Float32Array(5), 1, 9), /at least 9 frames/);
  });
});

describe("timbre-statistics baseline", () => {
  test("z-scores and whitens with the training tracks' statistics, predicts through ridge, and survives a save/load round trip", async () => {
    const frames = [1, 2, 3, 4, 5, 6, 7, 8].map((s) => logMelSpectrogram(signal(s, 22050 * 4)).data);
    const rng = new Rng(9);
    const targets = Float32Array.from({ length: frames.length * 3 }, () => rng.next() - 0.5);
    assert.equal(fitMfccBaseline(frames, targets, 3, 128).scaler!.whitening, undefined, "z-scoring alone by default (whitening measured worse)");
    const fitted = fitMfccBaseline(frames, targets, 3, 128, "timbre-stats", true);
    assert.equal(fitted.features, "timbre-stats");
    const inputs = baselineInputs(fitted, frames);
    const d = fitted.scaler!.whitening!.kept;
    assert.ok(d >= 2 && d < frames.length, `8 tracks span at most 7 directions; kept ${d}`);
    assert.equal(inputs.length, frames.length * d);
    // Whitened: centred columns, uncorrelated, each variance λ / (λ + floor · λmax), so at most 1.
    for (let a = 0; a < d; a++) {
      let m = 0;
      for (let i = 0; i < frames.length; i++) m += inputs[i * d + a]! / frames.length;
      assert.ok(Math.abs(m) < 1e-3, `column ${a} is centred on the training tracks (mean ${m})`);
      for (let b = 0; b <= a; b++) {
        let c = 0;
        for (let i = 0; i < frames.length; i++) c += (inputs[i * d + a]! * inputs[i * d + b]!) / frames.length;
        if (a === b) assert.ok(c > 0.5 && c <= 1 + 1e-3, `variance of column ${a}: ${c}`);
        else assert.ok(Math.abs(c) < 1e-3, `covariance of columns ${a} and ${b}: ${c}`);
      }
    }
    const dir = mkdtempSync(join(tmpdir(), "timbre-baseline-"));
    try {
      const stored = await saveMfccBaseline(join(dir, "baseline.json"), fitted);
      const loaded = await loadMfccBaseline(stored);
      assert.deepEqual([...predictMfccBaseline(loaded, frames.slice(0, 2))], [...predictMfccBaseline(fitted, frames.slice(0, 2))]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
