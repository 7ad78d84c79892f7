// `curator corpus catalog` then `curator ingest`: the second reads each unchanged file's facts from the probe cache
// instead of running ffprobe, the peak-level decode and the hash again; a changed file is probed again.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ProbeCache } from "@curator/worker/ingest/catalog/probe-cache.js";
import { describeAudio } from "@curator/worker/ingest/probe.js";
import { ffmpeg } from "../support/audio-fixtures.js";

test("the probe cache answers for unchanged files, probes changed ones, and reports missing files as describeAudio does", async () => {
  const dir = mkdtempSync(join(tmpdir(), "curator-probes-"));
  try {
    const a = join(dir, "a.ogg");
    const b = join(dir, "b.ogg");
    ffmpeg("-f", "lavfi", "-i", "sine=f=440:d=3", "-c:a", "libvorbis", a);
    ffmpeg("-f", "lavfi", "-i", "sine=f=660:d=4", "-c:a", "libvorbis", b);
    const first = await ProbeCache.open(dir);
    const probedA = await first.describe(a);
    assert.equal(probedA.cached, false);
    assert.deepEqual(probedA.facts, await describeAudio(a));
    await first.describe(b);
    await first.save();

    const second = await ProbeCache.open(dir);
    const again = await second.describe(a);
    assert.equal(again.cached, true);
    assert.deepEqual(again.facts, probedA.facts);

    // New content at the same path: a different size or time means a new probe, and the new hash.
    ffmpeg("-f", "lavfi", "-i", "sine=f=880:d=5", "-c:a", "libvorbis", b);
    utimesSync(b, new Date(), new Date(Date.now() + 5000));
    const changed = await second.describe(b);
    assert.equal(changed.cached, false);
    assert.deepEqual(changed.facts, await describeAudio(b));

    await assert.rejects(second.describe(join(dir, "gone.ogg")), await describeAudio(join(dir, "gone.ogg")).catch((e: Error) => ({ message: e.message })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
