import { test } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { importListenChunks, importListens, partitionKnown, splitCsvLine } from "@curator/worker/ingest/listens/import.js";
import { readLines } from "@curator/worker/ingest/listens/lines.js";

const rowsOf = (errors: { row: number }[]) => errors.map((e) => e.row);

test("taste profile: wrong columns, bad numbers and negative plays are reported with their line", async () => {
  const lines = [
    "u1\ts1\t3",
    "u1\ts2",            // 2: two columns
    "u2\ts1\tthree",     // 3: not a number
    "u2\ts2\t-4",        // 4: negative
    "u2\ts3\t0",         // 5: zero
    "",                  // 6: blank, skipped
    "u3\ts1\t2.5",       // 7: fraction
    "u3\t\t1",           // 8: empty track
    "u3\ts4\t1\textra",  // 9: four columns
    "u3\ts5\t7",
  ];
  const r = await importListens(lines, "taste-profile");
  assert.deepEqual(rowsOf(r.errors), [2, 3, 4, 5, 7, 8, 9]);
  assert.match(r.errors[0]!.reason, /2 tab-separated columns, expected 3/);
  assert.match(r.errors[1]!.reason, /"three" is not a whole number/);
  assert.match(r.errors[2]!.reason, /-4 must be at least 1/);
  assert.deepEqual(r.triplets, [
    { user: "u1", track: "s1", plays: 3, row: 1 },
    { user: "u3", track: "s5", plays: 7, row: 10 },
  ]);
  assert.equal(r.linesRead, 9);
});

test("duplicates are summed and reported with every row", async () => {
  const r = await importListens(["user_id,track_id,plays", "u1,t1,2", "u2,t1,1", "u1,t1,5", "\"u,3\",t2,1", "u1,t1,1"], "csv");
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.triplets.find((t) => t.user === "u1"), { user: "u1", track: "t1", plays: 8, row: 2 });
  assert.deepEqual(r.duplicates, [{ user: "u1", track: "t1", rows: [2, 4, 6] }]);
  assert.ok(r.triplets.some((t) => t.user === "u,3"));
});

test("csv: header is checked, wrong column counts and broken quotes are row errors", async () => {
  const bad = await importListens(["user,track,count", "u1,t1,1"], "csv");
  assert.deepEqual(rowsOf(bad.errors), [1]);
  assert.match(bad.errors[0]!.reason, /header must be user_id,track_id,plays/);
  const r = await importListens(["user_id,track_id,plays", "u1,t1", "u1,t1,1,2", "\"u1,t1,1", "u1,t1,1e3"], "csv");
  assert.deepEqual(rowsOf(r.errors), [2, 3, 4, 5]);
  assert.match(r.errors[0]!.reason, /2 columns, expected 3/);
  assert.match(r.errors[2]!.reason, /unterminated quoted field/);
  assert.deepEqual(splitCsvLine('a,"b ""q"", c",'), ["a", 'b "q", c', ""]);
  assert.deepEqual(splitCsvLine('12" mix,"",x'), ['12" mix', "", "x"]);
  assert.deepEqual(splitCsvLine(""), [""]);
  assert.equal(splitCsvLine('x,"y'), "unterminated quoted field");
});

test("json lines: each listen is a play, exact repeats counted once, malformed lines reported", async () => {
  const lines = [
    JSON.stringify({ user: "u1", track: "t1", timestamp: 1000 }),
    JSON.stringify({ user: "u1", track: "t1", timestamp: 2000 }),
    JSON.stringify({ user: "u1", track: "t1", timestamp: 2000 }), // 3: same scrobble again
    JSON.stringify({ user_name: "u2", listened_at: 1500, track_metadata: { additional_info: { recording_mbid: "mb-1" } } }),
    "{not json",                                                 // 5
    JSON.stringify({ user: "u3", timestamp: 1 }),                // 6: no track
    JSON.stringify({ user: "u3", track: "t9", timestamp: "yesterday" }), // 7
    JSON.stringify([1, 2]),                                      // 8
    JSON.stringify({ user: "u3", track: "t9", timestamp: "2024-01-02T03:04:05Z" }),
  ];
  const r = await importListens(lines, "jsonl");
  assert.deepEqual(rowsOf(r.errors), [3, 5, 6, 7, 8]);
  assert.match(r.errors[0]!.reason, /counted once/);
  assert.deepEqual(r.triplets, [
    { user: "u1", track: "t1", plays: 2, row: 1 },
    { user: "u2", track: "mb-1", plays: 1, row: 4 },
    { user: "u3", track: "t9", plays: 1, row: 9 },
  ]);
  assert.deepEqual(r.duplicates, []);
});

test("json lines: a chunk is handed on at chunkListens listens, however few pairs hold them", async () => {
  const lines = Array.from({ length: 7 }, (_, i) => JSON.stringify({ user: "station", track: `t${i % 2}`, timestamp: i }));
  const chunks = [];
  for await (const part of importListenChunks(lines, "jsonl", { chunkPairs: 10, chunkListens: 3 })) chunks.push(part);
  assert.deepEqual(
    chunks.map((c) => c.triplets.map((t) => [t.track, t.plays, t.row])),
    [[["t0", 2, 1], ["t1", 1, 2]], [["t1", 2, 4], ["t0", 1, 5]], [["t0", 1, 7]]],
  );
  // Triplet files keep no listens: only their pairs count.
  const tsv = Array.from({ length: 7 }, (_, i) => `station\tt${i % 2}\t1`);
  const whole = [];
  for await (const part of importListenChunks(tsv, "taste-profile", { chunkPairs: 10, chunkListens: 3 })) whole.push(part);
  assert.deepEqual(whole.map((c) => c.triplets.map((t) => t.plays)), [[4, 3]]);
});

test("huge lines are rejected by length, from a stream, without holding them", async () => {
  const huge = "u1\t" + "x".repeat(200_000) + "\t1";
  const stream = Readable.from([Buffer.from("u1\ts1\t1\n" + huge.slice(0, 70_000)), Buffer.from(huge.slice(70_000) + "\nu2\ts2\t4\r\n"), Buffer.from("u3\ts3\t2")]);
  const seen: number[] = [];
  async function* lengths() {
    for await (const line of readLines(stream, 1000)) {
      seen.push(line.length);
      yield line;
    }
  }
  const r = await importListens(lengths(), "taste-profile", { maxLineLength: 1000 });
  assert.deepEqual(seen, [7, 1001, 7, 7]); // "\r\n" endings lose the "\r"
  assert.deepEqual(r.errors, [{ row: 2, reason: "line longer than 1000 characters" }]);
  assert.deepEqual(r.triplets.map((t) => [t.user, t.plays, t.row]), [["u1", 1, 1], ["u2", 4, 3], ["u3", 2, 4]]);
});

test("unknown ids are reported by the caller's known sets, with the first row", async () => {
  const r = await importListens(["u1\tknown\t1", "u2\tghost\t2", "stranger\tknown\t1", "u2\tghost\t1"], "taste-profile");
  const split = partitionKnown(r.triplets, new Set(["known"]), new Set(["u1", "u2"]));
  assert.deepEqual(split.known.map((t) => t.user), ["u1"]);
  assert.deepEqual(split.unknown, [
    { row: 2, reason: 'unknown track id "ghost"' },
    { row: 3, reason: 'unknown user id "stranger"' },
  ]);
});
