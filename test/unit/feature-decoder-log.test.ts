import assert from "node:assert/strict";
import { test } from "node:test";
import { formatOf, parseDecoderLog } from "@curator/worker/features/decode.js";

// Lines as ffmpeg 5.1 writes them with `-loglevel level+info`.
test("decoder log: input format from the banner, errors without level tags, own muxer ignored", () => {
  const stderr = [
    "[info] Input #0, libopenmpt, from 'a, b.it':",
    "[info]     title           : Input #0, ogg, from 'x':",
    "[mp3float @ 0x559bccc2bb80] [error] Header missing",
    "[error] Error while decoding stream #0:0: Invalid data found when processing input",
    "[f32le @ 0x55d0] [error] Application provided invalid, non monotonically increasing dts",
    "[mp3float @ 0x559bccc2bb80] [info] overread, skip -7 enddists: -3 -3",
    "[info] size=    2214kB time=00:00:25.70",
    "",
  ].join("\n");
  const log = parseDecoderLog(stderr);
  assert.deepEqual(log.formatNames, ["libopenmpt"]);
  assert.equal(log.errors, "[mp3float] Header missing\nError while decoding stream #0:0: Invalid data found when processing input");
});

test("decoder log: a clean run has no errors; no banner leaves the format unknown", () => {
  assert.deepEqual(parseDecoderLog("[info] Input #0, ogg, from 't.ogg':\n[warning] odd\n"), { errors: "", formatNames: ["ogg"] });
  const failed = parseDecoderLog("[error] notes.ogg: End of file\n");
  assert.deepEqual(failed, { errors: "notes.ogg: End of file", formatNames: [] });
  assert.equal(formatOf(failed, 0), "unknown");
});

test("decoder log: a batch run names each input's format by its index", () => {
  const stderr = ["[info] Input #0, ogg, from 'a.ogg':", "[info] Input #1, ogg, from 'a.ogg':", "[info] Input #2, mp3, from 'b.mp3':", "[info] Input #3, libopenmpt, from 'c.it':", ""].join("\n");
  const log = parseDecoderLog(stderr);
  assert.deepEqual([0, 1, 2, 3, 4].map((input) => formatOf(log, input)), ["ogg", "ogg", "mp3", "libopenmpt", "unknown"]);
});
