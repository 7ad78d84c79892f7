import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromaFilterbank, chromaStft } from "@curator/worker/features/chroma.js";
import { decodeExcerpt, decodeWhole } from "@curator/worker/features/decode.js";
import { logMelSpectrogram, logMelWindows, melSpectrogram, WINDOW_FRAMES } from "@curator/worker/features/logmel.js";
import { melFilterbank } from "@curator/worker/features/mel.js";
import { mfcc } from "@curator/worker/features/mfcc.js";
import { realAudioFiles } from "../support/corpus.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const referenceScript = join(repo, "test", "integration", "librosa_reference.py");

function readF32(path: string): Float32Array {
  const bytes = readFileSync(path);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

function maxAbsDiff(a: Float32Array | Float64Array, b: Float32Array): number {
  assert.equal(a.length, b.length, "shapes differ");
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

// A music-like stereo mix: a sweep, a two-note chord with harmonics and pink noise, so every mel band has energy.
const MIX =
  "aevalsrc='0.3*sin(2*PI*(60+200*t)*t)+0.2*sin(2*PI*220*t)*(1+0.5*sin(2*PI*3*t))+0.1*sin(2*PI*1760*t)|" +
  "0.25*sin(2*PI*330*t)+0.15*sin(2*PI*4400*t)*(t-floor(t))':s=44100:d=40[tones];" +
  "anoisesrc=c=pink:a=0.05:r=44100:d=40,aformat=channel_layouts=stereo[noise];[tones][noise]amix=inputs=2:normalize=0";

describe("log-mel vs librosa 0.11 on the same decoded samples", () => {
  let work: string;
  let python: string;
  const files: string[] = [];

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "logmel-librosa-"));
    python = execFileSync("bash", [join(repo, "scripts", "python-env.sh"), "test"], { encoding: "utf8" }).trim().split("\n").pop()!;
    for (const [name, codec] of [["mix.ogg", "libvorbis"], ["mix.mp3", "libmp3lame"]] as const) {
      const path = join(work, name);
      execFileSync("ffmpeg", ["-v", "error", "-filter_complex", MIX, "-c:a", codec, path]);
      files.push(path);
    }
    files.push(...(await realAudioFiles()));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test("excerpt log-mel, filterbank, MFCC and chroma match librosa", async () => {
    for (const [i, file] of files.entries()) {
      const decoded = await decodeExcerpt(file);
      assert.equal(decoded.samples.length, 614_400);
      const outDir = mkdtempSync(join(work, `ref-${i}-`));
      const samplesPath = join(outDir, "samples.f32");
      writeFileSync(samplesPath, decoded.samples);
      execFileSync(python, [referenceScript, samplesPath, outDir]);

      const ours = logMelSpectrogram(decoded.samples);
      assert.equal(ours.nFrames, WINDOW_FRAMES);
      assert.equal(ours.nMels, 128);
      const logmelError = maxAbsDiff(ours.data, readF32(join(outDir, "logmel.f32")));
      const filterbankError = maxAbsDiff(melFilterbank().weights, readF32(join(outDir, "filterbank.f32")));
      const mfccError = maxAbsDiff(mfcc(melSpectrogram(decoded.samples), 20).data, readF32(join(outDir, "mfcc.f32")));
      const chroma = chromaStft(decoded.samples);
      assert.equal(chroma.nFrames, WINDOW_FRAMES);
      const chromaError = maxAbsDiff(chroma.data, readF32(join(outDir, "chroma.f32")));
      const chromaFilterbankError = maxAbsDiff(chromaFilterbank().weights, readF32(join(outDir, "chroma_filterbank.f32")));
      console.log(
        `# ${file}: max |Δ| log-mel ${logmelError.toExponential(2)}, filterbank ${filterbankError.toExponential(2)}, MFCC ${mfccError.toExponential(2)}, ` +
          `chroma ${chromaError.toExponential(2)}, chroma filterbank ${chromaFilterbankError.toExponential(2)}`,
      );
      assert.ok(logmelError <= 1e-3, `log-mel error ${logmelError}`);
      assert.ok(filterbankError <= 1e-7, `filterbank error ${filterbankError}`);
      assert.ok(mfccError <= 1e-3, `MFCC error ${mfccError}`);
      // Chroma frames are scaled to a maximum of 1, so these are relative errors.
      assert.ok(chromaError <= 1e-4, `chroma error ${chromaError}`);
      assert.ok(chromaFilterbankError <= 1e-6, `chroma filterbank error ${chromaFilterbankError}`);
    }
  });

  test("whole-track windows are consecutive 599-frame log-mels", async () => {
    const decoded = await decodeWhole(files[0]!);
    const windows = logMelWindows(decoded.samples);
    assert.equal(windows.length, Math.floor((1 + Math.floor((decoded.samples.length - 2048) / 1024)) / WINDOW_FRAMES));
    const first = logMelSpectrogram(decoded.samples.subarray(0, 614_400));
    assert.deepEqual(windows[0]!.data, first.data);
  });
});
