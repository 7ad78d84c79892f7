import { test } from "node:test";
import { melFrequencies } from "@curator/worker/features/mel.js";
import assert from "node:assert/strict";
import { issueApiKey } from "@curator/db/api-keys.js";
import { freshDb } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";
import { startApi } from "../support/api.js";

test("outlier review: flags filtered and paged, a verdict records who and when, Track.outlierFlags", async () => {
  const handle = await freshDb();
  const api = await startApi(handle.db);
  try {
    const tracks = await seedCatalog(handle.db, 2, 3);
    const kinds = ["INTRO", "OUTRO", "COVER"] as const;
    for (const [i, t] of tracks.entries()) {
      await handle.db.outlierFlag.create({ data: { trackId: t.id, kind: kinds[i % 3]!, score: i / 10, reason: `reason ${i}` } });
    }
    const { key } = await issueApiKey(handle.db, "maria", "EDITOR");
    const page = `query ($after: String) { flags(status: OPEN, kind: INTRO, first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id kind track { id } } } } }`;
    const first = await api.query<{ flags: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: number; kind: string; track: { id: number } } }[] } }>(page);
    assert.equal(first.body.data?.flags.totalCount, 2);
    assert.equal(first.body.data?.flags.pageInfo.hasNextPage, true);
    const second = await api.query<typeof first.body.data>(page, { after: first.body.data!.flags.pageInfo.endCursor });
    assert.deepEqual([...first.body.data!.flags.edges, ...second.body.data!.flags!.edges].map((e) => e.node.track.id), [tracks[0]!.id, tracks[3]!.id]);

    const flagId = first.body.data!.flags.edges[0]!.node.id;
    const before = Date.now();
    const reviewed = await api.query<{ reviewFlag: { status: string; verdictBy: string; verdictNote: string; verdictAt: string } }>(
      `mutation ($id: Int!) { reviewFlag(id: $id, verdict: REJECTED, note: "a real theme, not an intro") { status verdictBy verdictNote verdictAt } }`,
      { id: flagId },
      key,
    );
    const verdict = reviewed.body.data!.reviewFlag;
    assert.deepEqual([verdict.status, verdict.verdictBy, verdict.verdictNote], ["REJECTED", "maria", "a real theme, not an intro"]);
    assert.ok(Date.parse(verdict.verdictAt) >= before - 1000);
    const stored = await handle.db.outlierFlag.findUniqueOrThrow({ where: { id: flagId } });
    assert.deepEqual([stored.status, stored.verdictBy], ["REJECTED", "maria"]);
    assert.equal((await api.query<{ flags: { totalCount: number } }>(`{ flags(status: OPEN, kind: INTRO) { totalCount } }`)).body.data?.flags.totalCount, 1);

    const track = await api.query<{ track: { outlierFlags: { kind: string; status: string }[] } }>(`{ track(id: ${tracks[0]!.id}) { outlierFlags { kind status } } }`);
    assert.deepEqual(track.body.data?.track.outlierFlags, [{ kind: "INTRO", status: "REJECTED" }]);
    assert.equal((await api.query(`mutation { reviewFlag(id: ${flagId}, verdict: CONFIRMED, note: "${"x".repeat(2001)}") { id } }`, {}, key)).body.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
  } finally {
    await api.close();
    await handle.close();
  }
});

test("filters of the active model run with their top tracks; renameFilter; startJob queues; evaluations newest first", async () => {
  const handle = await freshDb();
  const api = await startApi(handle.db);
  try {
    const tracks = await seedCatalog(handle.db, 1, 4);
    const empty = await api.query<{ filters: { totalCount: number } }>(`{ filters(layer: CONV1) { totalCount } }`);
    assert.equal(empty.body.data?.filters.totalCount, 0, "no model run yet");

    const old = await handle.db.modelRun.create({ data: { preset: "old", params: "{}", status: "READY" } });
    const current = await handle.db.modelRun.create({ data: { preset: "new", params: "{}", status: "READY" } });
    await handle.db.filter.create({ data: { modelRunId: old.id, layer: "CONV1", index: 0 } });
    const f0 = await handle.db.filter.create({ data: { modelRunId: current.id, layer: "CONV1", index: 0, weightImage: "/tmp/f0.png" } });
    const f1 = await handle.db.filter.create({ data: { modelRunId: current.id, layer: "CONV1", index: 1 } });
    await handle.db.filter.create({ data: { modelRunId: current.id, layer: "DENSE", index: 0 } });
    for (const [filterId, order] of [[f0.id, [2, 0, 1]], [f1.id, [3, 1]]] as const) {
      for (const mode of ["MAX", "MEAN"] as const) {
        const ranked = mode === "MAX" ? order : [...order].reverse();
        await handle.db.filterActivation.createMany({ data: ranked.map((t, i) => ({ filterId, mode, rank: i + 1, trackId: tracks[t]!.id, value: 10 - i })) });
      }
    }
    const res = await api.query<{ filters: { totalCount: number; edges: { node: { index: number; name: string | null; weightImageUrl: string | null; max: { rank: number; track: { id: number } }[]; mean: { track: { id: number } }[] } }[] } }>(
      `{ filters(layer: CONV1) { totalCount edges { node { index name weightImageUrl max: topTracks(first: 2) { rank track { id } } mean: topTracks(mode: MEAN, first: 5) { track { id } } } } } }`,
    );
    const nodes = res.body.data!.filters.edges.map((e) => e.node);
    assert.equal(res.body.data!.filters.totalCount, 2);
    assert.deepEqual(nodes.map((n) => [n.index, n.weightImageUrl]), [[0, `/media/filters/${f0.id}.png`], [1, null]]);
    assert.deepEqual(nodes[0]!.max.map((h) => [h.rank, h.track.id]), [[1, tracks[2]!.id], [2, tracks[0]!.id]]);
    assert.deepEqual(nodes[1]!.mean.map((h) => h.track.id), [tracks[1]!.id, tracks[3]!.id]);

    // The weight picture's axes: the run's kernel width (full preset's when the run names none), 128 mel bands
    // to 11025 Hz; each tick's band position lies between the centres (librosa's mel points) around its frequency.
    await handle.db.modelRun.update({ where: { id: current.id }, data: { params: JSON.stringify({ model: { kernelWidth: 6 } }) } });
    type Axes = { frames: number; frameSec: number; melBands: number; highHz: number; ticks: { hz: number; band: number }[] };
    const axes = await api.query<{ filters: { edges: { node: { weightAxes: Axes | null } }[] } }>(`{ filters(layer: CONV1) { edges { node { weightAxes { frames frameSec melBands highHz ticks { hz band } } } } } }`);
    const [withPicture, without] = axes.body.data!.filters.edges.map((e) => e.node.weightAxes);
    assert.equal(without, null);
    assert.deepEqual([withPicture!.frames, withPicture!.melBands, withPicture!.highHz], [6, 128, 11025]);
    assert.ok(Math.abs(withPicture!.frameSec - 1024 / 22050) < 1e-9);
    const centres = melFrequencies(130, 0, 11025).slice(1, -1);
    assert.deepEqual(withPicture!.ticks.map((t) => t.hz), [100, 250, 500, 1000, 2000, 4000, 8000]);
    for (const { hz, band } of withPicture!.ticks) assert.ok(centres[Math.floor(band)]! <= hz && hz <= centres[Math.ceil(band)]!, `${hz} Hz at band ${band}`);

    const editor = (await issueApiKey(handle.db, "ed", "EDITOR")).key;
    const renamed = await api.query<{ renameFilter: { name: string } }>(`mutation { renameFilter(id: ${f1.id}, name: " chiptune ") { name } }`, {}, editor);
    assert.equal(renamed.body.data?.renameFilter.name, "chiptune");

    const admin = (await issueApiKey(handle.db, "root", "ADMIN")).key;
    const job = await api.query<{ startJob: { id: number; stage: string; status: string; params: string } }>(`mutation { startJob(stage: "features", params: "{\\"modes\\": [\\"MIDDLE\\"]}") { id stage status params } }`, {}, admin);
    assert.deepEqual({ ...job.body.data!.startJob, id: 0 }, { id: 0, stage: "features", status: "QUEUED", params: '{"modes":["MIDDLE"]}' });
    const fetched = await api.query<{ job: { status: string } }>(`{ job(id: ${job.body.data!.startJob.id}) { status } }`);
    assert.equal(fetched.body.data?.job.status, "QUEUED");
    for (const bad of [`stage: "Rm -rf"`, `stage: "factorize", params: "[1]"`, `stage: "factorize", params: "{oops"`, `stage: "nonexistent"`]) {
      assert.equal((await api.query(`mutation { startJob(${bad}) { id } }`, {}, admin)).body.errors?.[0]?.extensions?.code, "BAD_USER_INPUT", bad);
    }
    // A stage no worker runs would stay QUEUED forever (issue 25, item 6).
    const unknown = await api.query(`mutation { startJob(stage: "nonexistent") { id } }`, {}, admin);
    assert.match(unknown.body.errors?.[0]?.message ?? "", /stage "nonexistent" cannot be queued: workers run features, factorize/);
    assert.equal(await handle.db.job.count({ where: { stage: "nonexistent" } }), 0);

    for (const [name, at] of [["als", 1], ["als", 3], ["model", 2]] as const) {
      await handle.db.evaluation.create({ data: { name, metrics: JSON.stringify({ at }), tableText: `table ${at}`, createdAt: new Date(Date.UTC(2025, 0, at)) } });
    }
    const evals = await api.query<{ evaluations: { name: string; metrics: string }[] }>(`{ evaluations(name: "als") { name metrics tableText createdAt } }`);
    assert.deepEqual(evals.body.data?.evaluations.map((e) => JSON.parse(e.metrics).at), [3, 1]);
    const all = await api.query<{ evaluations: { name: string }[] }>(`{ evaluations(first: 2) { name } }`);
    assert.deepEqual(all.body.data?.evaluations.map((e) => e.name), ["als", "model"]);
  } finally {
    await api.close();
    await handle.close();
  }
});

test("a track page with nested artist, album and flags costs the same number of SQL statements for 10 or 50 tracks", async () => {
  const statements: string[] = [];
  const handle = await freshDb({ onQuery: (sql) => statements.push(sql) });
  const api = await startApi(handle.db);
  try {
    const tracks = await seedCatalog(handle.db, 10, 6);
    for (const t of tracks) await handle.db.outlierFlag.create({ data: { trackId: t.id, kind: "ATYPICAL", score: 1, reason: "test" } });
    const page = `query ($n: Int!) { tracks(first: $n) { edges { node { id title artist { name } album { title } outlierFlags { kind status } } } } }`;
    const counts: number[] = [];
    for (const n of [10, 50]) {
      statements.length = 0;
      const res = await api.query<{ tracks: { edges: { node: { outlierFlags: unknown[] } }[] } }>(page, { n });
      assert.equal(res.body.data?.tracks.edges.length, n);
      assert.ok(res.body.data!.tracks.edges.every((e) => e.node.outlierFlags.length === 1));
      counts.push(statements.length);
    }
    assert.equal(counts[0], counts[1], `statements for 10 and 50 tracks: ${counts.join(" vs ")}`);
    assert.ok(counts[1]! >= 5 && counts[1]! <= 6, `${counts[1]} statements: page, count, artists, albums, flags`);
  } finally {
    await api.close();
    await handle.close();
  }
});
