import assert from "node:assert/strict";
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { PNG } from "pngjs";
import { cachePath, hashParams, readCachedHeader, readCachedMatrix, writeCachedMatrix } from "@curator/worker/features/cache.js";
import { LOG_MEL_DEFAULTS } from "@curator/worker/features/logmel.js";
import { spectrogramPng } from "@curator/worker/features/spectrogram-png.js";

test("cache round-trips a matrix and validates its shape", async () => {
  const dir = mkdtempSync(join(tmpdir(), "feature-cache-"));
  try {
    const data = Float32Array.from({ length: 599 * 128 }, (_, i) => Math.sin(i));
    const path = cachePath(dir, "ab".repeat(32), "excerpt", hashParams({ ...LOG_MEL_DEFAULTS }));
    assert.equal(hashParams({ a: 1, b: 2 }), hashParams({ b: 2, a: 1 }));
    assert.equal(await readCachedMatrix(path), null);
    await writeCachedMatrix(path, { data, rows: 599, cols: 128 });
    const back = await readCachedMatrix(path, 128);
    assert.deepEqual(back, { data, rows: 599, cols: 128 });
    await assert.rejects(readCachedMatrix(path, 20), /128 columns, expected 20/);
    assert.deepEqual(await readCachedHeader(path), { rows: 599, cols: 128, padded: null });
    for (const padded of [false, true]) {
      await writeCachedMatrix(path, { data, rows: 599, cols: 128 }, padded);
      assert.deepEqual(await readCachedHeader(path), { rows: 599, cols: 128, padded });
      assert.deepEqual(await readCachedMatrix(path, 128), { data, rows: 599, cols: 128 });
    }
    assert.equal(await readCachedHeader(`${path}.missing`), null);
    truncateSync(path, 16 + 4 * 599 * 128 - 1);
    await assert.rejects(readCachedHeader(path), /header says 599 × 128 but holds/);
    writeFileSync(path, Buffer.from("CWF1garbage"));
    await assert.rejects(readCachedMatrix(path), /not a feature cache file/);
    await assert.rejects(readCachedHeader(path), /not a feature cache file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("spectrogram PNG has the plot plus axis margins and viridis ends", () => {
  const data = Float32Array.from({ length: 599 * 128 }, (_, i) => (i % 128) / 127);
  const png = PNG.sync.read(spectrogramPng({ data, nFrames: 599, nMels: 128 }, { scale: 1 }));
  assert.ok(png.width > 599 && png.height > 128);
  const pixel = (x: number, y: number) => [...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3)];
  // Top band is the maximum (viridis yellow), bottom band the minimum (viridis purple).
  assert.ok(pixel(22, 4)[1]! > 200 && pixel(22, 4 + 127)[2]! > 60 && pixel(22, 4 + 127)[1]! < 20);
});
