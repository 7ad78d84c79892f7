import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { decodeExcerpt, decodeFile, decodeWhole } from "@curator/worker/features/decode.js";
import { decodeBatch } from "@curator/worker/features/batch-decode.js";
import { DecodeError, type DecodeErrorKind } from "@curator/worker/features/decode-error.js";
import { probeAudio } from "@curator/worker/features/probe.js";
import { describeAudio, peakLevelDb } from "@curator/worker/ingest/probe.js";
import { corruptOggPacket, writeDecodeFixtures } from "../support/audio-fixtures.js";


describe("decode: good files decode, broken ones are rejected with path and reason", () => {
  let dir: string;
  const path = (name: string) => join(dir, name);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "decode-bad-"));
    writeDecodeFixtures(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("a track longer than the whole-decode cap gives its middle, with a warning (a 6-hour file must not fill memory)", async () => {
    const full = await decodeWhole(path("good.ogg"));
    assert.deepEqual(full.warnings, []);
    const capped = await decodeWhole(path("good.ogg"), { maxWholeSeconds: 20, minSamples: 0 });
    assert.equal(capped.sourceSamples, 20 * 22050);
    assert.ok(Math.abs(capped.startSeconds - 10) < 1 / 22050 + 1e-9, `start ${capped.startSeconds}`);
    assert.match(capped.warnings[0] ?? "", /^long track: whole-track features from its middle 0\.3 min of 0\.7 min/);
    // The same audio as the uncapped decode's middle (the seek is sample-exact up to the codec's pre-roll).
    const offset = Math.round(capped.startSeconds * 22050);
    let worst = 0;
    for (let i = 22050; i < capped.sourceSamples - 22050; i += 97) worst = Math.max(worst, Math.abs(capped.samples[i]! - full.samples[offset + i]!));
    assert.ok(worst < 1e-2, `largest difference from the uncapped middle ${worst}`);
  });

  test("good files decode to exact excerpts and whole tracks", async () => {
    for (const name of ["good.ogg", "good.mp3"]) {
      const excerpt = await decodeExcerpt(path(name));
      assert.equal(excerpt.samples.length, 614_400);
      assert.equal(excerpt.padded, false);
      assert.ok(Math.abs(excerpt.startSeconds - (40 - 614_400 / 22050) / 2) < 0.05, `start ${excerpt.startSeconds}`);
      const whole = await decodeWhole(path(name));
      assert.ok(Math.abs(whole.sourceSamples - 40 * 22050) < 22050 * 0.1, `${name}: ${whole.sourceSamples} samples`);
    }
    const probe = await probeAudio(path("good.ogg"));
    assert.equal(probe.codec, "vorbis");
    assert.equal(probe.channels, 2);
    assert.equal(probe.sampleRate, 44100);
    assert.equal(probe.tags.title, "Good Song");
  });

  test("a known duration (ingest's) skips ffprobe and decodes the same samples", async () => {
    for (const name of ["good.ogg", "good.mp3", "short.ogg"]) {
      const { durationSeconds } = await probeAudio(path(name));
      // A missing ffprobe would reject any call that still tried to start it.
      const options = { probe: { durationSeconds }, ffprobePath: "/nonexistent/ffprobe" };
      for (const decode of [decodeExcerpt, decodeWhole]) {
        const probed = await decode(path(name));
        const known = await decode(path(name), options);
        assert.deepEqual(known.samples, probed.samples, `${name}: ${decode.name}`);
        assert.equal(known.formatName, probed.formatName);
      }
    }
    for (const [name, kind] of [["truncated-good.ogg", "truncated"], ["truncated-good.mp3", "truncated"], ["missing.ogg", "missing"], ["zero.ogg", "empty"]] as const) {
      for (const decode of [decodeExcerpt, decodeWhole]) {
        await assert.rejects(decode(path(name), { probe: { durationSeconds: 40 } }), (error: unknown) => error instanceof DecodeError && error.kind === kind);
      }
    }
  });

  test("excerpt and whole track from one ffmpeg run equal the two separate decodes", async () => {
    for (const name of ["good.ogg", "good.mp3", "short.ogg"]) {
      const both = await decodeFile(path(name), ["excerpt", "whole"]);
      const excerpt = await decodeExcerpt(path(name));
      const whole = await decodeWhole(path(name));
      assert.deepEqual(both.excerpt, excerpt, name);
      assert.deepEqual(both.whole, whole, name);
    }
    for (const [name, kind] of [["truncated-good.ogg", "truncated"], ["truncated-good.mp3", "truncated"], ["notes.ogg", "not-audio"], ["random.mp3", "not-audio"]] as const) {
      await assert.rejects(decodeFile(path(name), ["excerpt", "whole"]), (error: unknown) => error instanceof DecodeError && error.kind === kind);
    }
  });

  test("stereo is downmixed to the true mean, not (L+R)/√2", async () => {
    // In-phase sines of amplitude 0.5 and 0.1: the mean peaks at 0.3, (L+R)/√2 would at 0.42.
    const excerpt = await decodeExcerpt(path("stereo.wav"));
    const peak = excerpt.samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assert.ok(Math.abs(peak - 0.3) < 0.003, `peak ${peak}`);
  });

  test("a track shorter than the excerpt is padded to 614,400 samples and flagged", async () => {
    for (const decode of [decodeExcerpt, decodeWhole]) {
      const short = await decode(path("short.ogg"));
      assert.equal(short.samples.length, 614_400);
      assert.equal(short.padded, true);
      assert.ok(Math.abs(short.sourceSamples - 220_500) < 2205, `${short.sourceSamples} source samples`);
      assert.ok(short.samples.subarray(short.sourceSamples).every((v) => v === 0));
    }
  });

  test("random bytes named .mp3 are 'not an audio file' wherever they are read, not an ffmpeg exit status", async () => {
    const random = path("random.mp3");
    const notAudio = (error: unknown) => {
      assert.ok(error instanceof DecodeError, `not a DecodeError: ${String(error)}`);
      assert.equal(error.kind, "not-audio");
      assert.match(error.reason, /^not an audio file: /);
      assert.doesNotMatch(error.reason, /exit|Conversion failed/);
      return true;
    };
    // features: ingest's stored duration, so no ffprobe runs first
    await assert.rejects(decodeFile(random, ["excerpt", "whole"], { probe: { durationSeconds: 40 } }), notAudio);
    // ingest: the peak-level decode of a file ffprobe let through, and the whole description
    await assert.rejects(peakLevelDb(random), notAudio);
    await assert.rejects(describeAudio(random), notAudio);
  });

  test("an Ogg file with a bad packet is decoded past it, a bad page by sox, each with a warning, alone and in a batch", async () => {
    corruptOggPacket(path("good.ogg"), path("damaged-packet.ogg"), true);
    for (const [name, first] of [["damaged-packet.ogg", /Invalid packet|Overread|Not a Vorbis/]] as const) {
      const decoded = await decodeFile(path(name), ["excerpt", "whole"]);
      console.log(`# ${name}: ${decoded.whole.warnings.join("; ")}`);
      assert.match(decoded.whole.warnings[0] ?? "", /^decoded past damaged packets \(\d+ decoder error lines?, first: /);
      assert.match(decoded.whole.warnings[0]!, first);
      // A few packets' worth of audio at most is lost; the length check would refuse more.
      assert.ok(Math.abs(decoded.whole.sourceSamples - 40 * 22050) < 22050, `${name}: ${decoded.whole.sourceSamples} samples`);
      assert.equal(decoded.excerpt.samples.length, 614_400);
      const [batched] = await decodeBatch([{ path: path(name), durationSeconds: 40, parts: ["excerpt", "whole"] }, { path: path("good.mp3"), durationSeconds: 40, parts: ["whole"] }]);
      assert.equal(batched!.status, "fulfilled");
      const value = (batched as PromiseFulfilledResult<typeof decoded>).value;
      assert.deepEqual(value.whole.warnings, decoded.whole.warnings);
      assert.deepEqual(value.whole.samples, decoded.whole.samples);
    }
    // A page that fails its checksum makes ffmpeg's demuxer drop seconds around it (refused as truncated); sox
    // (libvorbisfile) steps over the one page, and its samples are used, resampled by ffmpeg as any others.
    corruptOggPacket(path("good.ogg"), path("damaged-page.ogg"), false);
    const page = await decodeFile(path("damaged-page.ogg"), ["excerpt", "whole"]);
    console.log(`# damaged-page.ogg: ${page.whole.warnings.join("; ")}`);
    assert.match(page.whole.warnings[0] ?? "", /^ffmpeg refused it \(truncated: container reports 40\.\d+ s but decoding stopped at .*\); decoded by sox \(libvorbisfile\): 3\d\.\d\d s of 40\.\d\d s$/);
    assert.equal(page.whole.path, path("damaged-page.ogg"));
    assert.ok(page.whole.sourceSamples > 0.95 * 40 * 22050, `${page.whole.sourceSamples} samples`);
    assert.equal(page.excerpt.samples.length, 614_400);
    const clean = await decodeFile(path("good.ogg"), ["excerpt", "whole"]);
    assert.deepEqual([clean.excerpt.warnings, clean.whole.warnings], [[], []]);
  });

  test("a track longer than the cap on a whole decode gives its middle, with a warning", async () => {
    const capped = await decodeWhole(path("good.ogg"), { maxWholeSeconds: 10 });
    assert.ok(Math.abs(capped.sourceSamples - 10 * 22050) <= 1, `${capped.sourceSamples} samples`);
    assert.ok(Math.abs(capped.startSeconds - 15) < 0.01, `starts at ${capped.startSeconds} s`);
    assert.equal(capped.samples.length, 614_400, "padded to one window like any short decode");
    assert.match(capped.warnings[0] ?? "", /^long track: whole-track features from its middle 0\.2 min of 0\.7 min/);
    const whole = await decodeWhole(path("good.ogg"));
    assert.deepEqual(whole.warnings, []);
    assert.ok(whole.sourceSamples > 39 * 22050);
  });

  const broken: Array<[string, DecodeErrorKind, RegExp]> = [
    ["zero.ogg", "empty", /zero-byte/],
    ["missing.ogg", "missing", /ENOENT/],
    ["truncated-good.ogg", "truncated", /end-of-stream/],
    ["truncated-good.mp3", "truncated", /container reports 40\.\d+ s but decoding stopped at (19|20)\.\d+ s/],
    ["random.mp3", "not-audio", /^not an audio file: ffprobe found no decodable audio stream/],
    ["notes.ogg", "not-audio", /End of file|Invalid data/],
    ["video-only.mp4", "not-audio", /no audio stream/],
  ];
  for (const [name, kind, reason] of broken) {
    test(`${name} is rejected (${kind})`, async () => {
      for (const decode of [decodeExcerpt, decodeWhole]) {
        await assert.rejects(decode(path(name)), (error: unknown) => {
          assert.ok(error instanceof DecodeError, `not a DecodeError: ${String(error)}`);
          assert.equal(error.path, path(name));
          assert.match(error.message, new RegExp(name.replace(".", "\\.")));
          console.log(`# ${name}: ${error.kind}: ${error.reason}`);
          assert.equal(error.kind, kind);
          assert.match(error.reason, reason);
          return true;
        });
      }
    });
  }
});
