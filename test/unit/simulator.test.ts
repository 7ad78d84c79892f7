import { test } from "node:test";
import assert from "node:assert/strict";
import { simulateListens, SIMULATOR_HELP, type SimTrack } from "@curator/worker/ingest/listens/simulate.js";

/** A metadata-only catalogue: eight soundtracks over three a-priori styles, each with a short intro and outro. */
function catalogue(): SimTrack[] {
  const packages = ["pingus-data", "tecnoballz-data", "nexuiz-music", "supertux-data", "widelands-data", "flare-game", "asc-music", "xmoto-data"];
  const tracks: SimTrack[] = [];
  for (const [a, pkg] of packages.entries()) {
    for (let p = 1; p <= 10; p++) {
      tracks.push({ externalId: `${pkg}/t${p}`, artist: `composer ${a % 5}`, album: `${pkg} soundtrack`, albumSource: `debian:${pkg}`,
        position: p, isShort: p === 1 || p === 10 });
    }
  }
  return tracks;
}

test("same seed, same listens; another seed, other listens; input order does not matter", () => {
  const a = simulateListens(catalogue(), { seed: 7, users: 300 });
  const b = simulateListens([...catalogue()].reverse(), { seed: 7, users: 300 });
  const c = simulateListens(catalogue(), { seed: 8, users: 300 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.listens, c.listens);
});

test("activity is heavy-tailed: the top 10% of users play a large share, the median user little", () => {
  const r = simulateListens(catalogue(), { seed: 3, users: 2000 });
  const perUser = new Map<string, number>();
  for (const l of r.listens) perUser.set(l.user, (perUser.get(l.user) ?? 0) + l.plays);
  const counts = r.users.map((u) => perUser.get(u) ?? 0).sort((x, y) => y - x);
  const total = counts.reduce((s, x) => s + x, 0);
  const top = counts.slice(0, counts.length / 10).reduce((s, x) => s + x, 0);
  const median = counts[counts.length / 2]!;
  assert.ok(top / total > 0.4, `top 10% share ${top / total}`);
  assert.ok(counts[0]! > 20 * median, `max ${counts[0]} vs median ${median}`);
  // Popularity is skewed too: the most played track far above the median track.
  const perTrack = new Map<string, number>();
  for (const l of r.listens) perTrack.set(l.track, (perTrack.get(l.track) ?? 0) + l.plays);
  const trackCounts = [...perTrack.values()].sort((x, y) => y - x);
  assert.ok(trackCounts[0]! > 3 * trackCounts[Math.floor(trackCounts.length / 2)]!);
});

test("album sessions: users play whole soundtracks, short intros and outros included", () => {
  const tracks = catalogue();
  const r = simulateListens(tracks, { seed: 11, users: 500 });
  assert.ok(r.stats.albumSessions > 0 && r.stats.albumSessions < r.stats.sessions);
  const byUser = new Map<string, Set<string>>();
  for (const l of r.listens) byUser.set(l.user, (byUser.get(l.user) ?? new Set()).add(l.track));
  const albums = new Map<string, string[]>();
  for (const t of tracks) albums.set(t.album, [...(albums.get(t.album) ?? []), t.externalId]);
  const wholeAlbumListeners = [...byUser.values()].filter((heard) => [...albums.values()].some((ids) => ids.every((id) => heard.has(id))));
  assert.ok(wholeAlbumListeners.length > 50, `${wholeAlbumListeners.length} users heard a whole album`);
  const shortIds = new Set(tracks.filter((t) => t.isShort).map((t) => t.externalId));
  const shortPlays = r.listens.filter((l) => shortIds.has(l.track)).length;
  assert.ok(shortPlays > 0);
});

test("held-out tracks: a seeded ~20% whose listens are all marked heldOut, none in training", () => {
  const tracks = catalogue();
  const r = simulateListens(tracks, { seed: 5, users: 400 });
  assert.equal(r.heldOutTracks.length, Math.round(0.2 * tracks.length));
  const held = new Set(r.heldOutTracks);
  assert.ok(r.listens.some((l) => l.heldOut));
  for (const l of r.listens) assert.equal(l.heldOut, held.has(l.track), `${l.user} ${l.track}`);
  const training = r.listens.filter((l) => !l.heldOut);
  assert.ok(training.every((l) => !held.has(l.track)));
  // The split depends on the seed and catalogue only, not on how many users are simulated.
  assert.deepEqual(simulateListens(tracks, { seed: 5, users: 50 }).heldOutTracks, r.heldOutTracks);
  assert.match(SIMULATOR_HELP, /never audio/);
});
