import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runJob } from "@curator/worker/jobs/job.js";
import { runFactorize, type FactorizeResume } from "@curator/worker/factorize/stage.js";
import { importFactors } from "@curator/worker/factorize/import-stage.js";
import { loadActiveFactorSet } from "@curator/worker/storage/factor-sets.js";
import { freshDb } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";

async function seedListens(db: Awaited<ReturnType<typeof freshDb>>["db"], trackIds: number[]) {
  for (let u = 0; u < 30; u++) {
    const user = await db.user.create({ data: { externalId: `user${u}` } });
    // Two taste groups over the first 8 tracks; the last track is held out (cold).
    const group = u % 2 === 0 ? trackIds.slice(0, 4) : trackIds.slice(4, 8);
    await db.listen.createMany({ data: group.map((trackId, j) => ({ userId: user.id, trackId, plays: 1 + ((u + j) % 3) })) });
    await db.listen.create({ data: { userId: user.id, trackId: trackIds[8]!, plays: 2, heldOut: true } });
  }
}

test("factorize stores a CF set for every track (cold ones zero), switches it in, and resumes from its checkpoint", async () => {
  const { db, close } = await freshDb();
  const dir = mkdtempSync(join(tmpdir(), "curator-als-"));
  try {
    const tracks = await seedCatalog(db, 3, 3);
    await seedListens(db, tracks.map((t) => t.id));
    const options = { factors: 8, iterations: 2, threads: 1, checkpointDir: dir };
    const first = await runJob<FactorizeResume, Awaited<ReturnType<typeof runFactorize>>>(db, { stage: "factorize", quiet: true }, (job) => runFactorize(db, job, options));
    assert.equal(first.result.tracks, 9);
    assert.equal(first.result.coldTracks, 1);
    const set = (await loadActiveFactorSet(db, "CF", true))!;
    assert.equal(set.id, first.result.factorSetId);
    assert.equal(set.trackIds.length, 9);
    assert.equal(set.users?.userIds.length, 30);
    const cold = set.trackIds.indexOf(tracks[8]!.id);
    assert.equal(set.norms[cold], 0);
    for (let i = 0; i < 8; i++) {
      const row = set.unit.subarray(i * 8, (i + 1) * 8);
      assert.ok(Math.abs(Math.hypot(...row) - 1) < 1e-5, "listened tracks are stored unit-length");
    }

    // A fit that stopped after 2 of 4 iterations continues from its checkpoint, not from scratch.
    await db.job.update({ where: { id: first.jobId }, data: { status: "FAILED" } });
    const resumed = await runJob<FactorizeResume, Awaited<ReturnType<typeof runFactorize>>>(db, { stage: "factorize", resume: true, quiet: true }, async (job) => {
      assert.ok(job.resumeFrom?.checkpoint.endsWith(`factorize-job${first.jobId}.bin`));
      return runFactorize(db, job, { ...options, iterations: 4 });
    });
    const progress = await db.job.findUniqueOrThrow({ where: { id: resumed.jobId } });
    assert.equal(resumed.jobId, first.jobId);
    assert.equal(progress.status, "SUCCEEDED");
    const previous = await db.factorSet.findUniqueOrThrow({ where: { id: first.result.factorSetId } });
    assert.equal(previous.status, "RETIRED");
    assert.equal((await loadActiveFactorSet(db, "CF"))!.id, resumed.result.factorSetId);
  } finally {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("imported factors become the active CF set; a bad file names its rows and changes nothing", async () => {
  const { db, close } = await freshDb();
  const dir = mkdtempSync(join(tmpdir(), "curator-import-"));
  try {
    const tracks = await seedCatalog(db, 2, 2);
    const externalIds = (await db.track.findMany({ orderBy: { id: "asc" } })).map((t) => t.externalId);
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, `id,f1,f2\n${externalIds[0]},1,2\n${externalIds[1]},1\n${externalIds[2]},x,3\n${externalIds[0]},1,1\n`);
    await assert.rejects(importFactors(db, { items: bad }), (err: Error) => {
      assert.match(err.message, /3 bad row\(s\), nothing imported/);
      assert.match(err.message, /row 3: 1 values, expected 2/);
      assert.match(err.message, /row 4: value 1 "x" is not a finite number/);
      assert.match(err.message, /row 5: id ".*" repeats row 2/);
      return true;
    });
    const unknown = join(dir, "unknown.csv");
    writeFileSync(unknown, `nope,1,2\n`);
    await assert.rejects(importFactors(db, { items: unknown }), /1 unknown track id\(s\): nope/);
    assert.equal(await db.factorSet.count(), 0);

    const good = join(dir, "items.csv");
    writeFileSync(good, externalIds.slice(0, 3).map((id, i) => `${id},${i + 1},0,0,1`).join("\n"));
    const out = await importFactors(db, { items: good });
    assert.deepEqual({ tracks: out.tracks, missing: out.missing }, { tracks: 3, missing: 1 });
    const set = (await loadActiveFactorSet(db, "CF"))!;
    assert.equal(set.dims, 4);
    const i = set.trackIds.indexOf(tracks[1]!.id);
    assert.deepEqual([...set.raw.subarray(i * 4, i * 4 + 4)], [2, 0, 0, 1]);
  } finally {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
});
