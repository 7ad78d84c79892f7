import { test } from "node:test";
import assert from "node:assert/strict";
import { issueApiKey } from "@curator/db/api-keys.js";
import type { Db } from "@curator/db/client.js";
import { writeFactorSet } from "@curator/worker/storage/factor-sets.js";
import { IndexRegistry } from "@curator/server/index/registry.js";
import { freshDb, testBackend } from "../support/db.js";
import { seedCatalog, type SeededTrack } from "../support/seed.js";
import { startApi, type RunningApi } from "../support/api.js";
import { gaussianRows, tempIndexDir } from "../support/indexed-api.js";

interface Item {
  id: number;
  position: number;
  track: { id: number };
}
type PlaylistView = { id: number; name: string; source: string; itemCount: number; items: Item[] };
const VIEW = `id name source itemCount items(first: 500) { id position track { id } }`;
/** Every candidate kept in its ranked order: the generators' raw output. */
const NO_RULES = "{ skipFlagged: false, minDurationSec: 0, spreadArtists: false }";

/** Positions in the database: dense 1..n in order, whatever the edits. */
async function storedOrder(db: Db, playlistId: number): Promise<number[]> {
  const rows = await db.playlistItem.findMany({ where: { playlistId }, orderBy: { position: "asc" } });
  assert.deepEqual(rows.map((r) => r.position), rows.map((_, i) => i + 1), "positions are dense 1..n");
  return rows.map((r) => r.trackId);
}

function editor(api: RunningApi, key: string) {
  return async <T>(doc: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const res = await api.query<T>(doc, variables, key);
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    return res.body.data!;
  };
}

async function errorCode(api: RunningApi, key: string, doc: string, variables: Record<string, unknown> = {}): Promise<string | undefined> {
  return (await api.query(doc, variables, key)).body.errors?.[0]?.extensions?.code;
}

test(`playlists on ${testBackend()}: create, add, reorder, remove, export, generate; positions stay dense`, async () => {
  const handle = await freshDb();
  const api = await startApi(handle.db);
  try {
    const tracks = await seedCatalog(handle.db, 3, 4);
    const id = (i: number) => tracks[i]!.id;
    const { key } = await issueApiKey(handle.db, "ed", "EDITOR");
    const run = editor(api, key);

    const { createPlaylist: created } = await run<{ createPlaylist: PlaylistView }>(`mutation { createPlaylist(name: "  Road trip ") { ${VIEW} } }`);
    assert.deepEqual({ ...created, id: 0 }, { id: 0, name: "Road trip", source: "manual", itemCount: 0, items: [] });
    const pid = created.id;
    const add = `mutation ($p: Int!, $t: [Int!]!, $at: Int) { addToPlaylist(playlistId: $p, trackIds: $t, position: $at) { ${VIEW} } }`;
    await run(add, { p: pid, t: [id(0), id(1), id(2)] });
    const { addToPlaylist: inserted } = await run<{ addToPlaylist: PlaylistView }>(add, { p: pid, t: [id(3), id(4)], at: 2 });
    assert.deepEqual(inserted.items.map((i) => i.track.id), [id(0), id(3), id(4), id(1), id(2)]);
    assert.deepEqual(inserted.items.map((i) => i.position), [1, 2, 3, 4, 5]);
    const itemOf = (trackIndex: number) => inserted.items.find((i) => i.track.id === id(trackIndex))!.id;

    const move = `mutation ($i: Int!, $to: Int!) { movePlaylistItem(itemId: $i, toPosition: $to) { ${VIEW} } }`;
    await run(move, { i: itemOf(2), to: 1 });
    assert.deepEqual(await storedOrder(handle.db, pid), [id(2), id(0), id(3), id(4), id(1)]);
    await run(move, { i: itemOf(2), to: 5 });
    assert.deepEqual(await storedOrder(handle.db, pid), [id(0), id(3), id(4), id(1), id(2)]);
    const { removeFromPlaylist: removed } = await run<{ removeFromPlaylist: PlaylistView }>(`mutation ($i: Int!) { removeFromPlaylist(itemId: $i) { ${VIEW} } }`, { i: itemOf(3) });
    assert.deepEqual(removed.items.map((i) => [i.position, i.track.id]), [[1, id(0)], [2, id(4)], [3, id(1)], [4, id(2)]]);
    assert.equal(removed.itemCount, 4);

    // Concurrent reorders of one playlist queue on its row lock: the result is still a dense permutation.
    await Promise.all(removed.items.flatMap((item, i) => [api.query(move, { i: item.id, to: 4 - i }, key), api.query(move, { i: item.id, to: 1 + (i % 2) }, key)]));
    assert.deepEqual((await storedOrder(handle.db, pid)).sort(), [id(0), id(4), id(1), id(2)].sort());
    const order = await storedOrder(handle.db, pid);

    const window = await run<{ playlist: { items: Item[] } }>(`{ playlist(id: ${pid}) { items(first: 2, afterPosition: 1) { position track { id } } } }`);
    assert.deepEqual(window.playlist.items.map((i) => i.track.id), order.slice(1, 3));

    assert.equal(await errorCode(api, key, add, { p: pid, t: [id(5)], at: 6 }), "BAD_USER_INPUT");
    assert.equal(await errorCode(api, key, move, { i: itemOf(0), to: 0 }), "BAD_USER_INPUT");
    assert.equal(await errorCode(api, key, add, { p: pid, t: [id(5), 999999] }), "NOT_FOUND");
    assert.equal(await errorCode(api, key, `{ playlistExport(id: 999999, format: M3U) }`), "NOT_FOUND");
    assert.equal(await errorCode(api, key, `mutation { createPlaylist(name: "   ") { id } }`), "BAD_USER_INPUT");
    assert.equal((await api.query<{ playlist: null }>(`{ playlist(id: 999999) { id } }`)).body.data?.playlist, null);
    await storedOrder(handle.db, pid);

    await run(`mutation { renamePlaylist(id: ${pid}, name: "Rock & \\"Roll\\" <live>") { id } }`);
    const byId = new Map(tracks.map((s) => [s.id, s]));
    const m3u = await run<{ playlistExport: string }>(`{ playlistExport(id: ${pid}, format: M3U, baseUrl: "http://host:4000/") }`);
    assert.equal(m3u.playlistExport, expectedM3u('Rock & "Roll" <live>', order.map((tid) => byId.get(tid)!), "http://host:4000"));
    const xspf = await run<{ playlistExport: string }>(`{ playlistExport(id: ${pid}, format: XSPF) }`);
    assert.match(xspf.playlistExport, /<title>Rock &amp; &quot;Roll&quot; &lt;live&gt;<\/title>/);
    assert.equal(xspf.playlistExport.match(/<location>\/media\/audio\/\d+\.ogg<\/location>/g)?.length, 4);
    assert.equal(xspf.playlistExport.match(/<annotation>Audio: Vorbis<\/annotation>/g)?.length, 4, "each entry says what the listener hears");
    // A tracker module is heard as its MP3 rendition at a URL, and as the module itself at a path.
    await handle.db.track.update({ where: { id: order[0]! }, data: { audioPath: "/nonexistent/tune.it", codec: "pcm_f32le" } });
    const withModule = (await run<{ playlistExport: string }>(`{ playlistExport(id: ${pid}, format: M3U) }`)).playlistExport.split("\n");
    assert.deepEqual([withModule[2], withModule[4]], ["# Audio: MP3 (rendition of the IT module)", `/media/audio/${order[0]}.mp3`]);
    const jspfPaths = JSON.parse((await run<{ playlistExport: string }>(`{ playlistExport(id: ${pid}, format: JSPF, locations: PATH) }`)).playlistExport);
    assert.equal(jspfPaths.playlist.track[0].annotation, "Audio: IT module");

    const page = await run<{ playlists: { totalCount: number; edges: { node: { id: number; itemCount: number } }[] } }>(`{ playlists(first: 10) { totalCount edges { node { id itemCount } } } }`);
    assert.deepEqual(page.playlists.edges.map((e) => e.node), [{ id: pid, itemCount: 4 }]);

    // Generated from a selection and from a filter's ranking.
    const selection = await run<{ generatePlaylist: PlaylistView }>(`mutation ($t: [Int!]!) { generatePlaylist(input: { trackIds: $t }) { ${VIEW} } }`, { t: [id(7), id(6)] });
    assert.deepEqual([selection.generatePlaylist.name, selection.generatePlaylist.source], ["Selection", "selection"]);
    assert.deepEqual(selection.generatePlaylist.items.map((i) => i.track.id), [id(7), id(6)]);
    const run1 = await handle.db.modelRun.create({ data: { preset: "test", params: "{}", status: "READY" } });
    const filter = await handle.db.filter.create({ data: { modelRunId: run1.id, layer: "CONV1", index: 14, name: "chiptune" } });
    await handle.db.filterActivation.createMany({ data: [id(9), id(8), id(10)].map((trackId, i) => ({ filterId: filter.id, mode: "MAX" as const, rank: i + 1, trackId, value: 3 - i })) });
    const fromFilter = await run<{ generatePlaylist: PlaylistView }>(`mutation { generatePlaylist(input: { filterId: ${filter.id}, count: 2 }) { ${VIEW} } }`);
    assert.deepEqual([fromFilter.generatePlaylist.name, fromFilter.generatePlaylist.source], ["Filter chiptune (max)", "filter:CONV1:14:MAX"]);
    // By default the 20 s stinger ranked second (track 8) is left out and the third-ranked track takes its place.
    assert.deepEqual(fromFilter.generatePlaylist.items.map((i) => i.track.id), [id(9), id(10)]);
    const everyLength = await run<{ generatePlaylist: PlaylistView }>(`mutation { generatePlaylist(input: { filterId: ${filter.id}, count: 2, rules: { minDurationSec: 0 } }) { ${VIEW} } }`);
    assert.deepEqual(everyLength.generatePlaylist.items.map((i) => i.track.id), [id(9), id(8)]);
    assert.equal(await errorCode(api, key, `mutation { generatePlaylist(input: { filterId: ${filter.id}, trackIds: [1] }) { id } }`), "BAD_USER_INPUT");
    assert.equal(await errorCode(api, key, `mutation { generatePlaylist(input: { filterId: 999999 }) { id } }`), "NOT_FOUND");

    assert.equal((await run<{ deletePlaylist: number }>(`mutation { deletePlaylist(id: ${pid}) }`)).deletePlaylist, pid);
    assert.equal(await handle.db.playlistItem.count({ where: { playlistId: pid } }), 0);
    assert.equal(await errorCode(api, key, `mutation { deletePlaylist(id: ${pid}) }`), "NOT_FOUND");
  } finally {
    await api.close();
    await handle.close();
  }
});

/** A fresh database with 10 catalogue tracks and an API whose index registry builds indexes in a folder of its own. */
async function withIndexedApi(body: (setup: { db: Db; api: RunningApi; tracks: SeededTrack[]; trackIds: number[] }) => Promise<void>): Promise<void> {
  const handle = await freshDb();
  const indexDir = tempIndexDir();
  const api = await startApi(handle.db, { indexes: new IndexRegistry(handle.db, { dir: indexDir.dir, checkIntervalMs: 0, log: () => {} }) });
  try {
    const tracks = await seedCatalog(handle.db, 2, 5);
    await body({ db: handle.db, api, tracks, trackIds: tracks.map((t) => t.id) });
  } finally {
    await api.close();
    await handle.close();
    indexDir.remove();
  }
}

test("a playlist generated from a seed track is the seed and its nearest tracks in the predicted space", async () => {
  await withIndexedApi(async ({ db, api, tracks, trackIds }) => {
    const raw = gaussianRows(trackIds.length, 6, 5);
    await writeFactorSet(db, { kind: "PREDICTED_MIDDLE", dims: 6, params: { test: "playlists" }, trackIds, raw });
    const { key } = await issueApiKey(db, "ed", "EDITOR");
    const res = await api.query<{ generatePlaylist: PlaylistView }>(`mutation { generatePlaylist(input: { seedTrackId: ${trackIds[3]}, count: 4, rules: ${NO_RULES} }) { ${VIEW} } }`, {}, key);
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    const made = res.body.data!.generatePlaylist;
    assert.equal(made.source, `seed:${trackIds[3]}`);
    assert.equal(made.name, `Like “${tracks[3]!.title}”`);

    // Brute-force cosine on the same vectors: the seed, then its three nearest.
    const unit = (i: number) => {
      const v = Array.from(raw.subarray(i * 6, i * 6 + 6));
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    };
    const cos = (a: number[], b: number[]) => a.reduce((s, x, j) => s + x * b[j]!, 0);
    const nearest = trackIds
      .map((tid, i) => ({ tid, score: cos(unit(3), unit(i)) }))
      .filter((c) => c.tid !== trackIds[3])
      .sort((a, b) => b.score - a.score)
      .slice(0, 3)
      .map((c) => c.tid);
    assert.deepEqual(made.items.map((i) => i.track.id), [trackIds[3], ...nearest]);
  });
});

test("a playlist generated from a sonic path holds the path's steps in order and names its ends", async () => {
  await withIndexedApi(async ({ db, api, tracks, trackIds }) => {
    await writeFactorSet(db, { kind: "CF", dims: 6, params: { test: "paths" }, trackIds, raw: gaussianRows(trackIds.length, 6, 9) });
    const { key } = await issueApiKey(db, "ed", "EDITOR");
    const run = editor(api, key);
    const [from, to] = [trackIds[1]!, trackIds[8]!];
    const { sonicPath } = await run<{ sonicPath: { track: { id: number } }[] }>(`{ sonicPath(from: ${from}, to: ${to}, length: 5) { track { id } } }`);
    const { generatePlaylist: made } = await run<{ generatePlaylist: PlaylistView }>(
      `mutation { generatePlaylist(input: { path: { from: ${from}, to: ${to}, length: 5 }, rules: ${NO_RULES} }) { ${VIEW} } }`,
    );
    assert.equal(made.source, `path:${from}-${to}`);
    assert.equal(made.name, `Path: ${tracks[1]!.title} → ${tracks[8]!.title}`);
    assert.deepEqual(made.items.map((i) => i.track.id), sonicPath.map((s) => s.track.id));
    assert.equal(made.items[0]!.track.id, from);
    assert.equal(made.items.at(-1)!.track.id, to);
    assert.equal(await errorCode(api, key, `mutation { generatePlaylist(input: { path: { from: ${from}, to: ${to}, length: 1 } }) { id } }`), "BAD_USER_INPUT");
    assert.equal(await errorCode(api, key, `mutation { generatePlaylist(input: { path: { from: ${from}, to: ${from} } }) { id } }`), "BAD_USER_INPUT");
    assert.equal(await errorCode(api, key, `mutation { generatePlaylist(input: { path: { from: ${from}, to: 999999 } }) { id } }`), "NOT_FOUND");
    assert.equal(await errorCode(api, key, `mutation { generatePlaylist(input: { path: { from: ${from}, to: ${to} }, trackIds: [${from}] }) { id } }`), "BAD_USER_INPUT");
  });
});

test("generated playlists by default leave out flagged and short tracks and spread artists; the defaults are one query", async () => {
  await withIndexedApi(async ({ db, api, trackIds }) => {
    const raw = gaussianRows(trackIds.length, 6, 5);
    await writeFactorSet(db, { kind: "PREDICTED_MIDDLE", dims: 6, params: { test: "rules" }, trackIds, raw });
    await writeFactorSet(db, { kind: "CF", dims: 6, params: { test: "rules" }, trackIds, raw });
    const { key } = await issueApiKey(db, "ed", "EDITOR");
    const run = editor(api, key);
    const { playlistRules } = await run<{ playlistRules: { skipFlagged: boolean; minDurationSec: number; spreadArtists: boolean } }>(
      "{ playlistRules { skipFlagged minDurationSec spreadArtists } }",
    );
    assert.deepEqual(playlistRules, { skipFlagged: true, minDurationSec: 45, spreadArtists: true });

    const seed = trackIds[3]!;
    const generate = async (rules: string) =>
      (await run<{ generatePlaylist: PlaylistView }>(`mutation { generatePlaylist(input: { seedTrackId: ${seed}, count: 10 ${rules} }) { ${VIEW} } }`)).generatePlaylist.items.map(
        (i) => i.track.id,
      );
    const everything = await generate(`, rules: ${NO_RULES}`);
    assert.equal(everything.length, 10);
    // Flag the raw list's best neighbour (OPEN) and its next (REJECTED: an editor said it is fine).
    const [flaggedId, rejectedId] = [everything[1]!, everything[2]!];
    await db.outlierFlag.create({ data: { trackId: flaggedId, kind: "ATYPICAL", score: 1, reason: "test" } });
    await db.outlierFlag.create({ data: { trackId: rejectedId, kind: "COVER", score: 1, reason: "test", status: "REJECTED" } });

    const rows = await db.track.findMany({ where: { id: { in: trackIds } }, select: { id: true, artistId: true, durationSec: true } });
    const meta = new Map(rows.map((r) => [r.id, r]));
    const picked = await generate("");
    assert.equal(picked[0], seed, "the seed stays first");
    assert.ok(!picked.includes(flaggedId), "an open flag is left out");
    assert.ok(picked.includes(rejectedId), "a rejected flag is kept");
    for (const id of picked.slice(1)) assert.ok(meta.get(id)!.durationSec >= 45, `track ${id} is at least 45 s`);
    // Two artists, and each keeps 4 tracks of 45 s or more: a spread order alternates them throughout.
    assert.deepEqual(new Set(picked), new Set(everything.filter((id) => id === seed || (id !== flaggedId && meta.get(id)!.durationSec >= 45))));
    const artists = picked.map((id) => meta.get(id)!.artistId);
    const counts = [...new Set(artists)].map((a) => artists.filter((x) => x === a).length);
    const avoidable = Math.max(0, Math.max(...counts) - (picked.length - Math.max(...counts)) - 1);
    const repeats = artists.slice(1).filter((a, i) => a === artists[i]).length;
    assert.equal(repeats, avoidable, `artists in order: ${artists.join(",")}`);
    assert.deepEqual(await generate(", rules: { spreadArtists: false, skipFlagged: false }"), everything.filter((id) => id === seed || meta.get(id)!.durationSec >= 45));

    // A path keeps both ends even when one is flagged, and leaves out flagged steps between.
    const [from, to] = [trackIds[1]!, trackIds[8]!];
    await db.outlierFlag.create({ data: { trackId: to, kind: "OUTRO", score: 1, reason: "test" } });
    const { sonicPath } = await run<{ sonicPath: { track: { id: number } }[] }>(`{ sonicPath(from: ${from}, to: ${to}, length: 6) { track { id } } }`);
    const { generatePlaylist: path } = await run<{ generatePlaylist: PlaylistView }>(`mutation { generatePlaylist(input: { path: { from: ${from}, to: ${to}, length: 6 } }) { ${VIEW} } }`);
    const pathIds = path.items.map((i) => i.track.id);
    assert.equal(pathIds[0], from);
    assert.equal(pathIds.at(-1), to);
    const inner = sonicPath.map((s) => s.track.id).slice(1, -1).filter((id) => id !== flaggedId && meta.get(id)!.durationSec >= 45);
    assert.deepEqual(new Set(pathIds.slice(1, -1)), new Set(inner));
    assert.equal(await errorCode(api, key, `mutation { generatePlaylist(input: { seedTrackId: ${seed}, rules: { minDurationSec: -1 } }) { id } }`), "BAD_USER_INPUT");
  });
});

function expectedM3u(name: string, tracks: SeededTrack[], base: string): string {
  const lines = ["#EXTM3U", `#PLAYLIST:${name}`];
  for (const t of tracks) {
    const seconds = t.title.endsWith(".0") ? 20 : 120 + Number(t.title.split(".")[1]);
    lines.push("# Audio: Vorbis", `#EXTINF:${seconds},${t.artist} - ${t.title}`, `${base}/media/audio/${t.id}.ogg`);
  }
  return `${lines.join("\n")}\n`;
}
