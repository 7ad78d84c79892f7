import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalogFromCsv } from "@curator/worker/ingest/catalog/csv.js";
import { importListens } from "@curator/worker/ingest/listens/import.js";
import { Rng } from "@curator/worker/util/random.js";
import { writeCatalog, writeListens, zipfRank } from "../scale/generate.js";

const spec = { tracks: 2000, users: 300, plays: 30_000, seed: 5 };

test("the scale generator writes a catalogue and Taste Profile listens the ingest stage reads without complaint", async () => {
  const dir = mkdtempSync(join(tmpdir(), "scale-generate-"));
  try {
    const catalogPath = join(dir, "catalog.csv");
    const listensPath = join(dir, "listens.tsv");
    assert.equal(writeCatalog(catalogPath, spec), spec.tracks);
    const figures = writeListens(listensPath, spec);

    const rows = catalogFromCsv(readFileSync(catalogPath, "utf8"), catalogPath);
    assert.equal(rows.length, spec.tracks);
    assert.equal(new Set(rows.map((r) => r.externalId)).size, spec.tracks, "track ids are unique");
    assert.equal(new Set(rows.map((r) => r.contentHash)).size, spec.tracks, "content hashes are unique");
    assert.ok(rows.every((r) => r.isShort === r.durationSec < 45));

    const listens = await importListens(readFileSync(listensPath, "utf8").split("\n"), "taste-profile");
    assert.deepEqual(listens.errors, []);
    assert.deepEqual(listens.duplicates, [], "one row per (user, track)");
    assert.equal(listens.triplets.length, figures.rows);
    assert.equal(new Set(listens.triplets.map((t) => t.user)).size, spec.users, "every user listens");
    const known = new Set(rows.map((r) => r.externalId));
    assert.ok(listens.triplets.every((t) => known.has(t.track)), "every listen names a catalogued track");
    const plays = listens.triplets.reduce((s, t) => s + t.plays, 0);
    assert.equal(plays, figures.plays);
    assert.ok(Math.abs(plays / spec.plays - 1) < 0.25, `about the plays aimed at: ${plays} for ${spec.plays}`);

    // Power-law popularity: the most played tenth of the tracks draws far more than a tenth of the plays.
    const perTrack = new Map<string, number>();
    for (const t of listens.triplets) perTrack.set(t.track, (perTrack.get(t.track) ?? 0) + t.plays);
    const sorted = [...perTrack.values()].sort((a, b) => b - a);
    const top = sorted.slice(0, spec.tracks / 10).reduce((s, v) => s + v, 0);
    assert.ok(top / plays > 0.3, `top 10% of tracks hold ${(100 * top / plays).toFixed(1)}% of plays`);

    writeListens(join(dir, "again.tsv"), spec);
    assert.deepEqual(readFileSync(join(dir, "again.tsv")), readFileSync(listensPath), "the seed fixes the data");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("zipfRank stays in range and favours low ranks", () => {
  const rng = new Rng(1);
  const n = 1000;
  const counts = new Int32Array(n);
  for (let i = 0; i < 100_000; i++) {
    const r = zipfRank(rng, n);
    assert.ok(Number.isInteger(r) && r >= 0 && r < n, `rank ${r}`);
    counts[r]!++;
  }
  // P(k) ∝ (k+1)^-0.9: rank 0 is drawn about 10^0.9 ≈ 8 times as often as rank 9.
  assert.ok(counts[0]! > 4 * counts[9]!, `${counts[0]} vs ${counts[9]}`);
  assert.ok(counts[0]! < 16 * counts[9]!, `${counts[0]} vs ${counts[9]}`);
});
