import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT_PARTIAL } from "@curator/worker/cli/exit-codes.js";
import { freshDb } from "../support/db.js";
import { makeBadCorpus, makeBadCsvs } from "./bad-corpus.js";
import { runCli, startCli, type RunningCli } from "./cli.js";

/** Peak resident memory of a running child, sampled from /proc until it exits (VmHWM only grows). */
function trackPeakRss(run: RunningCli): () => number {
  let peakKb = 0;
  const timer = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${run.child.pid}/status`, "utf8"));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // The process is gone; the last sample stands.
    }
  }, 50);
  void run.exited.then(() => clearInterval(timer));
  return () => peakKb * 1024;
}

describe("bad inputs: each gets a clear error naming it, the batch goes on, nothing stored is lost", () => {
  test("audio: corrupt, truncated, zero-byte, mislabelled, non-audio and two-hour files", async () => {
    const corpus = makeBadCorpus();
    const { db, url, close } = await freshDb();
    const dir = mkdtempSync(join(tmpdir(), "curator-bad-audio-"));
    try {
      const args = ["features", "--concurrency", "1", "--cache-dir", join(dir, "cache"), "--picture-dir", join(dir, "pictures")];
      const artist = await db.artist.create({ data: { name: "Bad" } });
      const track = (name: string, path: string) =>
        db.track.create({ data: { externalId: name, title: name, artistId: artist.id, durationSec: 1, audioPath: path, contentHash: `bad-${name}`, channels: 1, sampleRate: 22050, codec: "?" } });
      // A track finished before the bad batch: its features must come through untouched.
      const goodPath = join(corpus.dir, "really-a-wav.mp3");
      const good = await track("good", goodPath.replace("really-a-wav.mp3", "control.wav"));
      execFileSync("cp", [goodPath, good.audioPath]);
      await runCli(args, url);
      const kept = await db.featureCache.findMany({ where: { trackId: good.id } });
      const keptMtimes = kept.map((r) => statSync(r.path).mtimeMs);
      for (const file of corpus.audio) await track(file.name, file.path);

      const run = startCli(args, url);
      const peak = trackPeakRss(run);
      assert.equal(await run.exited, EXIT_PARTIAL, run.stderr());
      const job = await db.job.findFirstOrThrow({ where: { stage: "features" }, orderBy: { id: "desc" }, include: { badItems: true } });
      assert.equal(job.status, "PARTIAL");
      for (const file of corpus.audio) {
        const bad = job.badItems.find((b) => b.item === file.path);
        if (file.expect === "computed") {
          assert.equal(bad, undefined, `${file.name} should decode: ${bad?.reason}`);
          assert.equal(await db.featureCache.count({ where: { track: { audioPath: file.path } } }), 2, `${file.name}: middle and whole cached`);
        } else {
          assert.ok(bad, `${file.name} is reported`);
          assert.match(bad.reason, new RegExp(`^${file.expect}: .{5,}`), `${file.name}: ${bad.reason}`);
          assert.match(run.stderr(), new RegExp(`${file.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: ${file.expect}`), "named in the printed list");
        }
        console.log(`# ${file.name}: ${bad ? bad.reason : "computed"}`);
      }
      const whole = await db.featureCache.findFirstOrThrow({ where: { track: { externalId: "two-hours.flac" }, mode: "WHOLE" } });
      assert.equal(whole.windows, Math.floor((7200 * 22050) / 614_400), "two hours = 258 whole 27.9 s windows");
      assert.deepEqual((await db.featureCache.findMany({ where: { trackId: good.id } })).map((r) => statSync(r.path).mtimeMs), keptMtimes);
      console.log(`# features over the bad corpus: peak RSS ${(peak() / 2 ** 30).toFixed(2)} GiB (two hours of audio decoded whole)`);
    } finally {
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("CSVs: wrong columns, Latin-1 bytes, bad and unknown listen rows, and a 1 GiB line", async () => {
    const { db, url, close } = await freshDb();
    const dir = mkdtempSync(join(tmpdir(), "curator-bad-csv-"));
    try {
      const csv = makeBadCsvs(dir);
      const wrong = startCli(["ingest", "--catalog", csv.wrongColumns], url);
      assert.equal(await wrong.exited, 1);
      assert.match(wrong.stderr(), /catalog-wrong-columns\.csv row 1: expected columns track_id,artist,album,title,path, got id,artist,name,file \(missing track_id, album, title, path\)/);

      const latin = await runCli(["ingest", "--catalog", csv.latin1, "--listens", csv.goodListens, "--format", "csv"], url, {}, EXIT_PARTIAL);
      assert.match(latin.stderr, /catalog-latin1\.csv row 3: not UTF-8/);
      assert.deepEqual((await db.track.findMany()).map((t) => t.externalId), ["good1"], "the good row is stored, the mangled one is not");
      assert.equal(await db.listen.count(), 1);

      const listens = await runCli(["ingest", "--catalog", csv.latin1, "--listens", csv.listens, "--format", "csv"], url, {}, EXIT_PARTIAL);
      for (const [row, reason] of [
        [3, /plays -4 must be at least 1/],
        [4, /plays "lots" is not a whole number/],
        [5, /unknown track id "no-such-track"/],
        [6, /2 columns, expected 3/],
      ] as const) {
        assert.match(listens.stderr, new RegExp(`listens-bad\\.csv row ${row}: ${reason.source}`));
      }
      const stored = await db.listen.findMany({ include: { user: true }, orderBy: { userId: "asc" } });
      assert.deepEqual(stored.map((l) => [l.user.externalId, l.plays]), [["u0", 5], ["u1", 3]], "earlier listens kept, the good new row added");

      // A 1 GiB line streamed through a named pipe: nothing that size is written to disk or held in memory.
      const fifo = join(dir, "huge.fifo");
      execFileSync("mkfifo", [fifo]);
      const run = startCli(["ingest", "--catalog", csv.latin1, "--listens", fifo, "--format", "csv"], url);
      const peak = trackPeakRss(run);
      const out = createWriteStream(fifo);
      out.write("user_id,track_id,plays\n");
      const mib = Buffer.alloc(2 ** 20, "a");
      for (let i = 0; i < 1024; i++) if (!out.write(mib)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      out.end("\nu9,good1,7\n");
      assert.equal(await run.exited, EXIT_PARTIAL, run.stderr());
      assert.match(run.stderr(), /huge\.fifo row 2: line longer than 4096 characters/);
      assert.equal((await db.listen.findFirst({ where: { user: { externalId: "u9" } } }))?.plays, 7, "the row after the huge line is stored");
      assert.equal(await db.listen.count(), 3, "nothing stored before was lost");
      console.log(`# 1 GiB line: rejected by row; importer peak RSS ${(peak() / 2 ** 20).toFixed(0)} MiB`);
      assert.ok(peak() < 2 ** 30, "the line was never held whole");
    } finally {
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
