import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { decodeBatch, type BatchFile } from "@curator/worker/features/batch-decode.js";
import { decodeFile, type DecodePart } from "@curator/worker/features/decode.js";
import type { DecodeError } from "@curator/worker/features/decode-error.js";
import { probeAudio } from "@curator/worker/features/probe.js";
import { writeDecodeFixtures } from "../support/audio-fixtures.js";
import { realAudioFiles } from "../support/corpus.js";


describe("batch decode: one ffmpeg for many files, each file's result exactly its single-file decode", () => {
  let dir: string;
  let ffmpegRuns: string;
  /** Real ffmpeg behind a script that counts its starts, so a test can tell a batch from one run per file. */
  let countingFfmpeg: string;
  const path = (name: string) => join(dir, name);
  const runs = () => readFileSync(ffmpegRuns, "utf8").length;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "batch-decode-"));
    writeDecodeFixtures(dir);
    ffmpegRuns = path("ffmpeg-runs");
    writeFileSync(ffmpegRuns, "");
    countingFfmpeg = path("ffmpeg");
    writeFileSync(countingFfmpeg, `#!/bin/sh\nprintf x >> '${ffmpegRuns}'\nexec ffmpeg "$@"\n`);
    chmodSync(countingFfmpeg, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** What must agree between two outcomes: every sample and field, or the error's class, path, kind and reason. */
  function outcome(result: PromiseSettledResult<unknown>): unknown {
    if (result.status === "fulfilled") return result.value;
    const error = result.reason as DecodeError;
    return { rejected: error.constructor.name, path: error.path, kind: error.kind, reason: error.reason };
  }

  /** Each file's batch result against decodeFile with the same known duration: same samples, or same error. */
  async function assertSameAsSingle(files: BatchFile[]): Promise<void> {
    const batch = await decodeBatch(files, { ffmpegPath: countingFfmpeg });
    assert.equal(batch.length, files.length);
    for (const [i, file] of files.entries()) {
      const [single] = await Promise.allSettled([decodeFile(file.path, file.parts, { probe: { durationSeconds: file.durationSeconds } })]);
      assert.deepEqual(outcome(batch[i]!), outcome(single!), `${file.path} (${file.parts.join(" + ")})`);
    }
  }

  async function batchOf(names: string[], parts: DecodePart[] = ["excerpt", "whole"]): Promise<BatchFile[]> {
    return Promise.all(names.map(async (name) => ({ path: name.startsWith("/") ? name : path(name), durationSeconds: (await probeAudio(name.startsWith("/") ? name : path(name))).durationSeconds, parts })));
  }

  test("real corpus recordings (mp3, tracker modules) and generated files: identical samples from one process", async () => {
    const files = [...(await batchOf(await realAudioFiles(2))), ...(await batchOf(["good.ogg", "good.mp3", "stereo.wav", "short.ogg"]))];
    const before = runs();
    await assertSameAsSingle(files);
    assert.equal(runs() - before, 1, "one ffmpeg for the whole batch");
    // Parts differ per file: excerpt only, whole only, both.
    const mixed = files.slice(0, 3).map((file, i): BatchFile => ({ ...file, parts: [["excerpt"], ["whole"], ["excerpt", "whole"]][i] as DecodePart[] }));
    await assertSameAsSingle(mixed);
  });

  test("a short track is padded and flagged, as alone", async () => {
    const [short] = await decodeBatch(await batchOf(["short.ogg", "good.ogg"]));
    assert.equal(short?.status, "fulfilled");
    if (short?.status === "fulfilled") {
      for (const part of [short.value.excerpt, short.value.whole]) {
        assert.equal(part?.samples.length, 614_400);
        assert.equal(part?.padded, true);
      }
    }
  });

  test("bad files among good ones: each bad one gets its own reason, the good ones their samples", async () => {
    const good = await batchOf(["good.ogg", "good.mp3", "stereo.wav"]);
    // The duration ingest would have stored for a file ffprobe can't read is a guess; 40 s like the good ones.
    const bad = ["zero.ogg", "missing.ogg", "truncated-good.ogg", "truncated-good.mp3", "random.mp3", "notes.ogg", "video-only.mp4"].map(
      (name): BatchFile => ({ path: path(name), durationSeconds: 40, parts: ["excerpt", "whole"] }),
    );
    const files = [good[0]!, ...bad.slice(0, 4), good[1]!, ...bad.slice(4), good[2]!];
    await assertSameAsSingle(files);
    const results = await decodeBatch(files);
    assert.deepEqual(
      results.map((r) => r.status),
      files.map((f) => (good.includes(f) ? "fulfilled" : "rejected")),
    );
    for (const [name, reason] of [
      ["zero.ogg", /^empty: zero-byte/],
      ["missing.ogg", /^missing: /],
      ["truncated-good.ogg", /^truncated: .*end-of-stream/],
      ["truncated-good.mp3", /^truncated: container reports 40\.00 s but decoding stopped at 1\d\.\d+ s/],
      ["random.mp3", /^not-audio: not an audio file: ffmpeg decoded no audio from it/],
      ["notes.ogg", /^not-audio: not an audio file: .*(End of file|Invalid data)/],
      ["video-only.mp4", /^not-audio: not an audio file: ffmpeg found no audio stream \(.*matches no streams/],
    ] as const) {
      const result = results[files.findIndex((f) => f.path === path(name))]!;
      assert.equal(result.status, "rejected");
      const error = (result as PromiseRejectedResult).reason as { path: string; kind: string; reason: string };
      assert.equal(error.path, path(name));
      console.log(`# ${name}: ${error.kind}: ${error.reason}`);
      assert.match(`${error.kind}: ${error.reason}`, reason);
    }
  });

  test("a batch the decoder can't run at all reports every file, not the batch", async () => {
    const files = await batchOf(["good.ogg", "good.mp3"]);
    const results = await decodeBatch(files, { ffmpegPath: path("no-such-ffmpeg") });
    for (const result of results) {
      assert.equal(result.status, "rejected");
      assert.match(String((result as PromiseRejectedResult).reason), /cannot run .*no-such-ffmpeg/);
    }
  });
});
