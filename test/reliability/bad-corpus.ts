import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeWav } from "./wav.js";

/** Where the corpus is written (git-ignored): made fresh by the tests, never committed. */
export const BAD_CORPUS_DIR = fileURLToPath(new URL("../../fixtures/bad", import.meta.url));

export interface BadCorpus {
  dir: string;
  /** Name → path of every audio file; `expect` says what the features stage must do with it. */
  audio: { name: string; path: string; expect: "computed" | "empty" | "corrupt" | "truncated" | "not-audio" }[];
}

function ffmpeg(...args: string[]): void {
  execFileSync("ffmpeg", ["-v", "error", "-y", ...args]);
}

/**
 * Audio that breaks decoders in the ways real collections do: zero bytes, byte soup with an audio extension, a
 * file cut in half, text and an image under audio names, a WAV named .mp3 (ffmpeg sniffs content, so it must
 * work), and two hours of silence (memory: whole-track features hold the track's samples).
 */
export function makeBadCorpus(): BadCorpus {
  const dir = BAD_CORPUS_DIR;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const at = (name: string) => join(dir, name);
  writeFileSync(at("zero.ogg"), Buffer.alloc(0));
  const soup = Buffer.alloc(200_000);
  for (let i = 0, s = 12345; i < soup.length; i++) soup[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
  writeFileSync(at("corrupt.mp3"), soup);
  ffmpeg("-f", "lavfi", "-i", "sine=f=440:d=40:sample_rate=22050", "-c:a", "libvorbis", at("whole.ogg"));
  const ogg = readFileSync(at("whole.ogg"));
  writeFileSync(at("truncated.ogg"), ogg.subarray(0, ogg.length >> 1));
  rmSync(at("whole.ogg"));
  writeFileSync(at("notes.flac"), "track list\n1. intro\n2. outro\n");
  writeFileSync(at("cover.ogg"), Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex"));
  writeWav(at("really-a-wav.mp3"), 523, 5);
  ffmpeg("-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "7200", "-c:a", "flac", at("two-hours.flac"));
  const audio: BadCorpus["audio"] = [
    { name: "zero.ogg", path: at("zero.ogg"), expect: "empty" },
    // Random bytes and a text file: ffmpeg decodes no audio from them, which is what a person can act on (issue 25, 9).
    { name: "corrupt.mp3", path: at("corrupt.mp3"), expect: "not-audio" },
    { name: "truncated.ogg", path: at("truncated.ogg"), expect: "truncated" },
    { name: "notes.flac", path: at("notes.flac"), expect: "not-audio" },
    { name: "cover.ogg", path: at("cover.ogg"), expect: "not-audio" },
    { name: "really-a-wav.mp3", path: at("really-a-wav.mp3"), expect: "computed" },
    { name: "two-hours.flac", path: at("two-hours.flac"), expect: "computed" },
  ];
  return { dir, audio };
}

/** Catalogue and listens CSVs with one defect each, next to the audio they name. */
export function makeBadCsvs(dir: string): Record<"wrongColumns" | "latin1" | "listens" | "goodListens", string> {
  writeWav(join(dir, "good1.wav"), 330, 1);
  writeWav(join(dir, "good2.wav"), 550, 1);
  const files = {
    wrongColumns: join(dir, "catalog-wrong-columns.csv"),
    latin1: join(dir, "catalog-latin1.csv"),
    listens: join(dir, "listens-bad.csv"),
    goodListens: join(dir, "listens-good.csv"),
  };
  writeFileSync(files.wrongColumns, "id,artist,name,file\ngood1,A,Song,good1.wav\n");
  writeFileSync(
    files.latin1,
    Buffer.concat([Buffer.from("track_id,artist,album,title,path\ngood1,Ana,First,Song,good1.wav\n"), Buffer.from("good2,Beyonc\xe9,Caf\xe9,Na\xefve,good2.wav\n", "latin1")]),
  );
  writeFileSync(files.goodListens, "user_id,track_id,plays\nu0,good1,5\n");
  writeFileSync(files.listens, "user_id,track_id,plays\nu1,good1,3\nu2,good1,-4\nu3,good1,lots\nu4,no-such-track,2\nu5,good1\n");
  return files;
}
