// A library track whose file a rescan no longer finds is kept with its history but left out of every result the API
// gives (similar in each space, recommendations, sonic paths, generated playlists, the map, filter rankings, the
// flags list), and comes back when its file does. Paths of the files are for editors only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { issueApiKey } from "@curator/db/api-keys.js";
import { writeFactorSet } from "@curator/worker/storage/factor-sets.js";
import { markLibraryTracks } from "@curator/worker/ingest/store/library-store.js";
import { freshDb, testBackend } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";
import { IndexRegistry } from "@curator/server/index/registry.js";
import { startApi } from "../support/api.js";
import { gaussianRows, tempIndexDir } from "../support/indexed-api.js";

const D = 6;

function unitRows(raw: Float32Array, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => {
    const v = Array.from(raw.subarray(i * D, (i + 1) * D));
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}
const dot = (a: number[], b: number[]) => a.reduce((s, x, j) => s + x * b[j]!, 0);

test(`missing tracks on ${testBackend()}: out of similar, recommendations, paths, generated playlists, map, rankings and flags; back when the file returns`, async (t) => {
  const handle = await freshDb();
  const indexDir = tempIndexDir();
  const api = await startApi(handle.db, { indexes: new IndexRegistry(handle.db, { dir: indexDir.dir, checkIntervalMs: 0, log: () => {} }) });
  t.after(async () => {
    await api.close();
    await handle.close();
    indexDir.remove();
  });
  const db = handle.db;
  const tracks = await seedCatalog(db, 3, 5);
  const ids = tracks.map((s) => s.id);
  const user = await db.user.create({ data: { externalId: "ann" } });
  const cfRaw = gaussianRows(ids.length, D, 3);
  const cfSet = await writeFactorSet(db, { kind: "CF", dims: D, params: { test: "missing" }, trackIds: ids, raw: cfRaw, users: { userIds: Int32Array.of(user.id), raw: gaussianRows(1, D, 4) } });
  const run = await db.modelRun.create({ data: { preset: "test", params: "{}", status: "READY" } });
  await writeFactorSet(db, { kind: "PREDICTED_MIDDLE", dims: D, params: { test: "missing" }, modelRunId: run.id, trackIds: ids, raw: gaussianRows(ids.length, D, 5) });

  // The query track and the one that goes missing: its nearest CF neighbour, so leaving it out shows.
  const unit = unitRows(cfRaw, ids.length);
  const byCosine = (q: number, skip: ReadonlySet<number>) => ids.map((id, i) => ({ id, c: dot(unit[q]!, unit[i]!) })).filter((x) => x.id !== ids[q] && !skip.has(x.id)).sort((a, b) => b.c - a.c).map((x) => x.id);
  const q = 1;
  const gone = byCosine(q, new Set())[0]!;
  const to = ids.findLast((id) => id !== gone)!;
  await db.listen.create({ data: { userId: user.id, trackId: ids.find((id) => id !== gone && id !== ids[q])!, plays: 3 } });
  const goneTrack = await db.track.update({ where: { id: gone }, data: { origin: "library", audioPath: "/music/gone.ogg" } });

  const layout = await db.mapLayout.create({ data: { factorSetId: cfSet, method: "umap", params: "{}", status: "READY" } });
  await db.mapPoint.createMany({ data: ids.map((trackId, i) => ({ layoutId: layout.id, trackId, x: i, y: -i })) });
  await db.outlierFlag.createMany({ data: [gone, ids[5]!].map((trackId) => ({ trackId, kind: "INTRO" as const, score: 0.9, reason: "test" })) });
  const filter = await db.filter.create({ data: { modelRunId: run.id, layer: "CONV1", index: 0 } });
  await db.filterActivation.createMany({ data: [gone, ids[7]!, ids[8]!, ids[9]!].map((trackId, i) => ({ filterId: filter.id, mode: "MAX" as const, rank: i + 1, trackId, value: 4 - i })) });
  const { key } = await issueApiKey(db, "ed", "EDITOR");

  const ask = async <T>(doc: string): Promise<T> => {
    const res = await api.query<T>(doc);
    assert.equal(res.body.errors, undefined, `${doc}: ${JSON.stringify(res.body.errors)}`);
    return res.body.data!;
  };
  const similar = async (space: string, k: number) =>
    (await ask<{ track: { similar: { track: { id: number } }[] } }>(`{ track(id: ${ids[q]}) { similar(k: ${k}, space: ${space}) { track { id } } } }`)).track.similar.map((s) => s.track.id);
  // Paths through every track (15), or every track but one (14): the first must pass the missing one.
  const everything = async (pathLength = ids.length) => {
    const all = ids.length - 1;
    const recs = await ask<{ user: { recommendations: { track: { id: number } }[] } }>(`{ user(id: ${user.id}) { recommendations(k: ${all}, includeCold: false) { track { id } } } }`);
    const map = await ask<{ latentMap: { points: { id: number }[]; packed: { count: number } } }>(`{ latentMap { points(first: 100) { id } packed { count } } }`);
    const flags = await ask<{ flags: { totalCount: number; edges: { node: { track: { id: number } } }[] } }>(`{ flags { totalCount edges { node { track { id } } } } }`);
    const top = await ask<{ filters: { edges: { node: { topTracks: { track: { id: number } }[] } }[] } }>(`{ filters(layer: CONV1) { edges { node { topTracks(first: 3) { track { id } } } } } }`);
    const path = await ask<{ sonicPath: { track: { id: number } }[] }>(`{ sonicPath(from: ${ids[q]}, to: ${to}, length: ${pathLength}) { track { id } } }`);
    // The playlist rules are off (the missing track is also flagged, and skipFlagged would leave it out anyway).
    const made = async (source: string) => {
      const input = `{ ${source}, rules: { skipFlagged: false, minDurationSec: 0, spreadArtists: false } }`;
      const res = await api.query<{ generatePlaylist: { items: { track: { id: number } }[] } }>(`mutation { generatePlaylist(input: ${input}) { items(first: 100) { track { id } } } }`, {}, key);
      assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
      return res.body.data!.generatePlaylist.items.map((i) => i.track.id);
    };
    return {
      cf: await similar("CF", 3),
      audio: await similar("AUDIO", all),
      hybrid: await similar("HYBRID", all),
      recommendations: recs.user.recommendations.map((r) => r.track.id),
      map: map.latentMap.points.map((p) => p.id),
      packed: map.latentMap.packed.count,
      flags: flags.flags.edges.map((e) => e.node.track.id),
      flagCount: flags.flags.totalCount,
      top: top.filters.edges[0]!.node.topTracks.map((x) => x.track.id),
      path: path.sonicPath.map((s) => s.track.id),
      seed: await made(`seedTrackId: ${ids[q]}, count: ${ids.length}`),
      pathPlaylist: await made(`path: { from: ${ids[q]}, to: ${to}, length: ${pathLength} }`),
      filterPlaylist: await made(`filterId: ${filter.id}, count: 3`),
    };
  };

  const before = await everything();
  assert.equal(before.cf[1], gone, "the track to go missing is the query's nearest");
  for (const [name, list] of Object.entries(before)) if (Array.isArray(list)) assert.ok(list.includes(gone), `${name} holds the track while its file is there`);

  await markLibraryTracks(db, [goneTrack], "missing");
  const pathThroughAll = await api.query(`{ sonicPath(from: ${ids[q]}, to: ${to}, length: ${ids.length}) { track { id } } }`);
  assert.equal(pathThroughAll.body.errors?.[0]?.extensions?.code, "BAD_USER_INPUT", "no path of 15 tracks is left among 14");
  const during = await everything(ids.length - 1);
  for (const [name, list] of Object.entries(during)) if (Array.isArray(list)) assert.ok(!list.includes(gone), `${name} leaves out the missing track: ${JSON.stringify(list)}`);
  // Lists are refilled past it: similar and recommendations keep their length, in exact cosine order.
  assert.deepEqual(during.cf, [ids[q], ...byCosine(q, new Set([gone])).slice(0, 3)]);
  for (const list of [during.audio, during.hybrid, during.seed]) assert.equal(list.length, ids.length - 1, "the query and every other track left, and no more");
  assert.equal(during.recommendations.length, ids.length - 2, "every track left but the one heard");
  assert.deepEqual([during.map.length, during.packed, during.flagCount], [ids.length - 1, ids.length - 1, 1]);
  assert.deepEqual(during.filterPlaylist, [ids[7], ids[8], ids[9]], "the filter's next-ranked track takes its place");
  assert.deepEqual(during.top, [ids[7], ids[8], ids[9]], "topTracks(first: 3) is filled to three from the next-ranked tracks");
  assert.deepEqual([...during.path].sort((a, b) => a - b), ids.filter((id) => id !== gone), "a path through every track left");
  // Kept, with its history: the track's own page still answers, with its listens and factors.
  assert.ok(await db.track.findUnique({ where: { id: gone } }));

  await markLibraryTracks(db, [goneTrack], "returned");
  const after = await everything();
  assert.deepEqual(after, before, "the file is back: every result is as before");
});

test(`file paths in playlist exports on ${testBackend()}: editors and admins only`, async (t) => {
  const handle = await freshDb();
  const indexDir = tempIndexDir();
  const api = await startApi(handle.db, { indexes: new IndexRegistry(handle.db, { dir: indexDir.dir, checkIntervalMs: 0, log: () => {} }) });
  t.after(async () => {
    await api.close();
    await handle.close();
    indexDir.remove();
  });
  const tracks = await seedCatalog(handle.db, 1, 2);
  const playlist = await handle.db.playlist.create({ data: { name: "Mine", items: { create: tracks.map((s, i) => ({ trackId: s.id, position: i + 1 })) } } });
  const keys = Object.fromEntries(await Promise.all((["ANALYST", "EDITOR", "ADMIN"] as const).map(async (role) => [role, (await issueApiKey(handle.db, role, role)).key] as const)));
  for (const format of ["M3U", "XSPF", "JSPF"]) {
    const doc = (locations: string) => `{ playlistExport(id: ${playlist.id}, format: ${format}, locations: ${locations}) }`;
    const anonymous = await api.query(doc("PATH"));
    assert.equal(anonymous.body.errors?.[0]?.extensions?.code, "UNAUTHENTICATED", JSON.stringify(anonymous.body));
    assert.equal(anonymous.body.data ?? null, null);
    const reader = await api.query(doc("PATH"), {}, keys.ANALYST);
    assert.equal(reader.body.errors?.[0]?.extensions?.code, "FORBIDDEN");
    assert.match(reader.body.errors![0]!.message, /locations: PATH needs role EDITOR/);
    for (const role of ["EDITOR", "ADMIN"] as const) {
      const res = await api.query<{ playlistExport: string }>(doc("PATH"), {}, keys[role]);
      assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
      assert.ok(res.body.data!.playlistExport.includes("/nonexistent/0/1.ogg"), `${role} gets the paths`);
    }
    // URLs stay open to everyone, and name no path.
    const urls = await api.query<{ playlistExport: string }>(doc("URL"));
    assert.equal(urls.body.errors, undefined);
    assert.ok(!urls.body.data!.playlistExport.includes("/nonexistent/"));
  }
});

test(`a manual playlist keeps a missing track on ${testBackend()}: marked missing in its items, left out of every export, which says so`, async (t) => {
  const handle = await freshDb();
  const api = await startApi(handle.db);
  t.after(async () => {
    await api.close();
    await handle.close();
  });
  const db = handle.db;
  const tracks = await seedCatalog(db, 1, 3);
  const playlist = await db.playlist.create({ data: { name: "Mine", items: { create: tracks.map((s, i) => ({ trackId: s.id, position: i + 1 })) } } });
  const goneTrack = await db.track.update({ where: { id: tracks[1]!.id }, data: { origin: "library", audioPath: "/music/gone.ogg" } });
  const { key } = await issueApiKey(db, "ed", "EDITOR");
  const ask = async <T>(doc: string): Promise<T> => {
    const res = await api.query<T>(doc, {}, key);
    assert.equal(res.body.errors, undefined, `${doc}: ${JSON.stringify(res.body.errors)}`);
    return res.body.data!;
  };
  const look = async () => {
    const { playlist: p } = await ask<{ playlist: { itemCount: number; missingCount: number; items: { missing: boolean; track: { id: number } }[] } }>(
      `{ playlist(id: ${playlist.id}) { itemCount missingCount items { missing track { id } } } }`,
    );
    const exported = async (format: string) => (await ask<{ playlistExport: string }>(`{ playlistExport(id: ${playlist.id}, format: ${format}, locations: PATH) }`)).playlistExport;
    const m3u = await exported("M3U");
    const xspf = await exported("XSPF");
    const jspf = JSON.parse(await exported("JSPF")) as { playlist: { annotation?: string; track: { location: string[] }[] } };
    return {
      p,
      m3u: { entries: m3u.split("\n").filter((l) => l.startsWith("#EXTINF:")).length, gone: m3u.includes("/music/gone.ogg"), note: m3u.split("\n").find((l) => l.startsWith("# ") && l.includes("left out")) },
      xspf: { entries: xspf.split("<track>").length - 1, gone: xspf.includes("gone.ogg"), note: /<playlist[^]*?<title>[^<]*<\/title>\s*<annotation>([^<]*)<\/annotation>/.exec(xspf)?.[1] },
      jspf: { entries: jspf.playlist.track.length, gone: jspf.playlist.track.some((x) => x.location[0]!.includes("gone.ogg")), note: jspf.playlist.annotation },
    };
  };

  const before = await look();
  assert.deepEqual(before.p, { itemCount: 3, missingCount: 0, items: tracks.map((s) => ({ missing: false, track: { id: s.id } })) });
  for (const format of [before.m3u, before.xspf, before.jspf]) assert.deepEqual(format, { entries: 3, gone: true, note: undefined });

  await markLibraryTracks(db, [goneTrack], "missing");
  const during = await look();
  assert.deepEqual(during.p, { itemCount: 3, missingCount: 1, items: tracks.map((s) => ({ missing: s.id === goneTrack.id, track: { id: s.id } })) }, "the entry stays, marked missing");
  assert.deepEqual(during.m3u, { entries: 2, gone: false, note: "# 1 track left out: its file is missing from the library" });
  for (const format of [during.xspf, during.jspf]) assert.deepEqual(format, { entries: 2, gone: false, note: "1 track left out: its file is missing from the library" });

  await markLibraryTracks(db, [goneTrack], "returned");
  assert.deepEqual(await look(), before, "the file is back: the exports are whole again");
});
