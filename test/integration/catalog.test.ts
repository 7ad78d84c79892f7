import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readUserCatalog } from "@curator/worker/ingest/catalog/user.js";
import { storeCatalog } from "@curator/worker/ingest/store/catalog-store.js";
import { freshDb, testBackend } from "../support/db.js";

function tone(path: string, seconds: number, freq: number): void {
  execFileSync("ffmpeg", ["-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", `sine=frequency=${freq}:duration=${seconds}`,
    "-ac", "2", "-c:a", "libvorbis", path]);
}

test("user catalogue: good rows come back, corrupt, missing and duplicate rows are reported by row and path", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "user-catalog-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  tone(join(dir, "a.ogg"), 50, 440);
  tone(join(dir, "b.ogg"), 5, 660);
  execFileSync("ffmpeg", ["-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono", "-t", "3", "-c:a", "libvorbis", join(dir, "quiet.ogg")]);
  copyFileSync(join(dir, "b.ogg"), join(dir, "b-copy.ogg"));
  writeFileSync(join(dir, "corrupt.ogg"), Buffer.from("OggS this is not really an ogg stream ".repeat(20)));
  const csv = join(dir, "catalog.csv");
  writeFileSync(csv, [
    "track_id,artist,album,title,path",
    "t1,Ann,First,Long tone,a.ogg",
    "t2,Ann,First,\"Short, tone\",b.ogg",
    "t3,Bob,Second,Broken,corrupt.ogg",
    "t4,Bob,Second,Gone,missing.ogg",
    "t5,Bob,Second,Same bytes,b-copy.ogg",
    "t1,Cat,Third,Reused id,quiet.ogg",
    "t6,Cat,Third,Silence,quiet.ogg",
    "t7,Cat,Third",
    "t8,Cat,Third,Escape,../outside.ogg",
  ].join("\n") + "\n");

  const progress: number[] = [];
  const result = await readUserCatalog({ csvPath: csv, audioDir: dir, onProgress: (done) => progress.push(done) });

  assert.deepEqual(result.rows.map((r) => r.externalId).sort(), ["t1", "t2", "t6"]);
  const byId = new Map(result.rows.map((r) => [r.externalId, r]));
  const long = byId.get("t1")!;
  assert.equal(long.title, "Long tone");
  assert.equal(long.album, "First");
  assert.equal(long.albumSource, "csv:catalog.csv");
  assert.equal(long.origin, "user");
  assert.equal(long.codec, "vorbis");
  assert.equal(long.channels, 2);
  assert.ok(Math.abs(long.durationSec - 50) < 0.1, `duration ${long.durationSec}`);
  assert.equal(long.isShort, false);
  assert.match(long.contentHash, /^[0-9a-f]{64}$/);
  const short = byId.get("t2")!;
  assert.equal(short.title, "Short, tone");
  assert.equal(short.isShort, true);
  assert.equal(short.position, 2);
  assert.equal(byId.get("t6")!.isSilent, true);
  assert.equal(long.isSilent, false);

  const reasons = new Map(result.bad.map((b) => [/ row (\d+)/.exec(b.item)?.[1], b]));
  assert.equal(result.bad.length, 6, JSON.stringify(result.bad, null, 1));
  assert.match(reasons.get("4")!.item, /corrupt\.ogg/);
  assert.match(reasons.get("5")!.item, /missing\.ogg/);
  assert.match(reasons.get("5")!.reason, /missing/);
  assert.match(reasons.get("6")!.reason, /duplicate audio: same sha256 as .*b\.ogg/);
  assert.match(reasons.get("7")!.reason, /duplicate track id "t1"/);
  assert.match(reasons.get("9")!.reason, /3 columns, expected 5/);
  assert.match(reasons.get("10")!.reason, /leaves the audio folder/);
  assert.equal(progress.at(-1), 7);
});

test("user catalogue: a wrong header stops the file with row 1 named", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "user-catalog-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const csv = join(dir, "bad.csv");
  writeFileSync(csv, "id,artist,title,file\nx,y,z,w.ogg\n");
  await assert.rejects(readUserCatalog({ csvPath: csv, audioDir: dir }), /bad\.csv row 1: expected columns .*missing track_id, album, path/);
});

test(`user catalogue: NUL and other controls, over-long names and over-long lines are refused by row, the rest stored, on ${testBackend()}`, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "user-catalog-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [i, name] of ["a", "b", "c", "d", "e"].entries()) tone(join(dir, `${name}.ogg`), 2 + i, 300 + 110 * i);
  const csv = join(dir, "catalog.csv");
  writeFileSync(csv, [
    "track_id,artist,album,title,path",
    "t1,Ann,First,Fine,a.ogg",
    "t2,Ann,First,Nul\u0000here,b.ogg",
    `t3,Ann,First,${"x".repeat(1500)},c.ogg`,
    `t4,Ann,First,"${"y".repeat(100_000)}",d.ogg`,
    "t5,\"Ann\tand\r\nBob\",First,Bell\u0007,e.ogg",
    "t6,\"Ann\tand\r\nBob\",First,Clean,e.ogg",
  ].join("\n") + "\n");
  const { rows, bad } = await readUserCatalog({ csvPath: csv, audioDir: dir });
  const reasons = Object.fromEntries(bad.map((b) => [/ row (\d+)/.exec(b.item)![1]!, b.reason]));
  // A row is numbered by the line it ends on, as an editor shows it: the multi-line row 5 ends on line 7.
  assert.deepEqual(Object.keys(reasons).sort(), ["3", "4", "5", "7"], JSON.stringify(bad));
  assert.match(reasons["3"]!, /^title has control character U\+0000/);
  assert.match(reasons["4"]!, /^title is 1,500 characters long, at most 1,000/);
  assert.match(reasons["5"]!, /^line longer than 65,536 characters/);
  assert.match(reasons["7"]!, /^title has control character U\+0007/);
  // Line breaks and tabs inside a quoted field are spaces.
  assert.deepEqual(rows.map((r) => [r.externalId, r.artist, r.title]), [["t1", "Ann", "Fine"], ["t6", "Ann and Bob", "Clean"]]);

  // The store checks every source's rows the same way (a library scan or the corpus never passed the CSV reader):
  // on PostgreSQL a NUL took the whole batch down (22021) and stored none of the good rows.
  const handle = await freshDb();
  try {
    const nul = { ...rows[0]!, externalId: "t9", title: "Tag\u0000title", contentHash: "0".repeat(64), audioPath: join(dir, "tagged.ogg") };
    const stored = await storeCatalog(handle.db, [...rows, nul]);
    assert.equal(stored.inserted, 2);
    assert.deepEqual(stored.bad, [{ item: join(dir, "tagged.ogg"), reason: "title has control character U+0000: remove it" }]);
    assert.deepEqual((await handle.db.track.findMany({ orderBy: { id: "asc" }, select: { title: true } })).map((r) => r.title), ["Fine", "Clean"]);
  } finally {
    await handle.close();
  }
});
