// How a track begins and ends (envelope.ts) on hand-built level curves, on audio ffmpeg renders with the derived
// intro/outro recipes, and the curated label file: its parser, its precedence over the album-position rule, and
// the file kept in the repository.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { envelopeSignals, frameLevelsDb, RISE_DB, smoothLevels } from "@curator/worker/outliers/envelope.js";
import { ENVELOPE_FRAME_RATE, ENVELOPE_PARAMS } from "@curator/worker/outliers/envelope-features.js";
import { introRecipe, outroRecipe } from "@curator/worker/outliers/derive.js";
import { CURATED_LABELS_PATH } from "@curator/worker/outliers/dataset.js";
import { catalogueLabels, CURATED_KINDS, parseCuratedLabels } from "@curator/worker/outliers/labels.js";
import { decodeWhole } from "@curator/worker/features/decode.js";
import { execFile } from "@curator/worker/util/run-tool.js";
import { Rng } from "@curator/worker/util/random.js";

const RATE = 20;
const close = (a: number, b: number, tol: number, what = "") => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

/** Levels in dB at RATE frames/s of an amplitude curve over `seconds`. */
function levels(seconds: number, amplitude: (t: number) => number): Float32Array {
  return Float32Array.from({ length: seconds * RATE }, (_, f) => 20 * Math.log10(Math.max(amplitude(f / RATE), 1e-6)));
}

test("frame levels: mean power per frame in dB; the partial last frame is dropped", () => {
  const samples = new Float32Array(1000).fill(0.5);
  samples.fill(0, 600, 800);
  const out = frameLevelsDb(samples, 400);
  assert.equal(out.length, 2);
  close(out[0]!, 10 * Math.log10(0.25), 1e-5, "constant 0.5");
  close(out[1]!, 10 * Math.log10(0.125), 1e-5, "half the frame at 0.5, half silent");
  assert.ok(frameLevelsDb(new Float32Array(400), 400)[0]! <= -120, "digital silence sits at the floor");
  assert.throws(() => frameLevelsDb(samples, 0), /frame length 0/);
});

test("smoothing averages power, so a one-frame dip barely moves the level", () => {
  const dip = new Float32Array(21).fill(0);
  dip[10] = -100;
  const smooth = smoothLevels(dip, 21);
  close(smooth[10]!, 10 * Math.log10(20 / 21), 1e-9);
});

test("envelope: an abrupt start and stop have no fade; silence around the sound is skipped", () => {
  const abrupt = levels(32, (t) => (t < 1 || t >= 30 ? 0 : 1));
  const s = envelopeSignals(abrupt, RATE);
  assert.equal(s.fadeInSeconds, 0);
  assert.equal(s.fadeOutSeconds, 0);
  close(s.headSlopeDb, 0, 0.2, "flat opening");
  close(s.tailSlopeDb, 0, 0.2, "flat ending");
});

test("envelope: a linear fade-in reaches −RISE_DB at amplitude 10^(−RISE_DB/20) of the way; a fade-out mirrors it", () => {
  const fade = 8;
  const at = fade * 10 ** (-RISE_DB / 20);
  const fadeIn = envelopeSignals(levels(40, (t) => Math.min(1, t / fade)), RATE);
  // The 1 s smoothing window reaches half a second ahead: the level is judged up to 0.5 s early.
  close(fadeIn.fadeInSeconds, at, 0.6, "fade-in");
  assert.equal(fadeIn.fadeOutSeconds, 0);
  assert.ok(fadeIn.headSlopeDb > 0.5, `opening rises: ${fadeIn.headSlopeDb}`);

  const fadeOut = envelopeSignals(levels(40, (t) => Math.min(1, (40 - t) / fade)), RATE);
  close(fadeOut.fadeOutSeconds, at, 0.6, "fade-out");
  assert.ok(fadeOut.fadeInSeconds <= 0.05);
  assert.ok(fadeOut.tailSlopeDb < -0.5, `ending falls: ${fadeOut.tailSlopeDb}`);

  const silent = envelopeSignals(new Float32Array(100).fill(-200), RATE);
  assert.ok(Number.isNaN(silent.fadeInSeconds) && Number.isNaN(silent.tailSlopeDb));
  assert.ok(Number.isNaN(envelopeSignals(new Float32Array(0), RATE).fadeOutSeconds));
});

test("derived intros and outros, rendered by ffmpeg and decoded: length and fade as the recipe says", async () => {
  const dir = mkdtempSync(join(tmpdir(), "curator-envelope-"));
  try {
    const source = join(dir, "source.wav");
    const duration = 60;
    await execFile("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", `sine=f=330:d=${duration}:r=44100`, "-ac", "2", source]);
    const rng = new Rng(3);
    for (const recipe of [introRecipe(rng), outroRecipe(rng, duration), introRecipe(rng), outroRecipe(rng, duration)]) {
      const out = join(dir, "out.wav");
      await execFile("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-y", "-i", source, "-filter_complex", recipe.graph, "-map", "[out]", out]);
      const audio = await decodeWhole(out, { sampleRate: ENVELOPE_PARAMS.sampleRate, minSamples: 1 });
      close(audio.sourceSamples / ENVELOPE_PARAMS.sampleRate, recipe.length, 0.1, `${recipe.description}: length`);
      const s = envelopeSignals(frameLevelsDb(audio.samples, ENVELOPE_PARAMS.frameSamples), ENVELOPE_FRAME_RATE);
      // afade's default curve is linear in amplitude: −RISE_DB is reached at that fraction of the fade.
      const expected = recipe.fade * 10 ** (-RISE_DB / 20);
      const [fade, other] = recipe.titleSuffix === "Intro" ? [s.fadeInSeconds, s.fadeOutSeconds] : [s.fadeOutSeconds, s.fadeInSeconds];
      close(fade, expected, 0.6, `${recipe.description}: fade`);
      assert.ok(other <= 1.5, `${recipe.description}: the other end is cut, not faded (${other} s)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("curated labels: parsed with their reasons, bad lines named, and they outrank the album-position rule", () => {
  const labels = parseCuratedLabels("# comment\n\na/intro.ogg,INTRO,plays first, before the menu\nb/x.ogg,INTERLUDE,first only by file order\n", "x.csv");
  assert.deepEqual(labels.get("a/intro.ogg"), { kind: "INTRO", reason: "plays first, before the menu" });
  assert.equal(labels.size, 2);
  assert.throws(() => parseCuratedLabels("a.ogg,COVER,why", "x.csv"), /x\.csv:1: expected externalId/);
  assert.throws(() => parseCuratedLabels("\na.ogg,OUTRO,", "x.csv"), /x\.csv:2: a\.ogg has no reason/);
  assert.throws(() => parseCuratedLabels("a.ogg,OUTRO,r\na.ogg,INTRO,r", "x.csv"), /x\.csv:2: a\.ogg is labelled twice/);

  const first = { id: 1, origin: "recording", derivedFromId: null, isShort: true, isSilent: false, first: true, last: false };
  assert.deepEqual(catalogueLabels(first, labels.get("b/x.ogg")), new Set(["INTERLUDE"]), "first by file order, curated as an interlude");
  assert.deepEqual(catalogueLabels({ ...first, isShort: false, first: false }, labels.get("a/intro.ogg")), new Set(["INTRO"]), "a long curated intro");
  assert.deepEqual(catalogueLabels({ ...first, origin: "derived-outro", derivedFromId: 4 }), new Set(["OUTRO"]), "derived by origin, whatever its place");
  assert.deepEqual(catalogueLabels({ ...first, origin: "derived-intro", derivedFromId: 4, isShort: false }), new Set(["INTRO"]));
  assert.equal(catalogueLabels({ ...first, isSilent: true }, labels.get("a/intro.ogg")), undefined, "silence is never learnt from");
});

test("the curated label file in the repository parses and names every curated kind", () => {
  const labels = parseCuratedLabels(readFileSync(CURATED_LABELS_PATH, "utf8"), CURATED_LABELS_PATH);
  for (const kind of CURATED_KINDS) assert.ok([...labels.values()].some((l) => l.kind === kind), `no ${kind} in the curated file`);
  for (const [id, l] of labels) assert.ok(l.reason.length >= 20, `${id}: a reason says what the evidence is`);
});
