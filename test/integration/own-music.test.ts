// Your own music in, end to end: a generated, tagged library folder scanned (and rescanned after adds, changes,
// moves and deletes), listening exports of it in each real format matched and stored, with the noise real exports
// carry. The truth of every generated play is the file it was made from.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EXIT_OK, EXIT_PARTIAL } from "@curator/worker/cli/exit-codes.js";
import { freshDb } from "../support/db.js";
import { fakeMbid, generatePlays, LIBRARY, lastFmCsv, listenBrainzLine, spotifyJson, writeListenBrainzZip, writeLibrary, writeTrack, type GenPlay, type GenTrack } from "../support/own-music.js";
import { scanLibrary } from "@curator/worker/ingest/library/scan.js";
import { importExport, loadMatchTracks } from "@curator/worker/ingest/listens/export-import.js";
import { buildCatalogIndex, matchListen } from "@curator/worker/ingest/listens/match.js";
import { storeCatalog } from "@curator/worker/ingest/store/catalog-store.js";
import { storeListens } from "@curator/worker/ingest/store/listen-store.js";
import type { Db } from "@curator/db/client.js";
import { bytesToVector } from "@curator/db/factor-sets.js";
import { startIndexedApi, tempIndexDir } from "../support/indexed-api.js";
import { realAudioFiles } from "../support/corpus.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const tmp = (label: string) => mkdtempSync(join(tmpdir(), `own-music-${label}-`));
const byFile = (tracks: readonly GenTrack[], file: string) => tracks.find((t) => t.file === file)!;

test("library scan: tags and stable ids; rescans follow adds, changes, moves and deletes; same recording and bad files reported", async (t) => {
  const dir = tmp("scan");
  const handle = await freshDb();
  t.after(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const tracks = LIBRARY.filter((x) => ["Jóga", "Bachelorette", "Don't Stop Me Now", "Come Together", "Intro"].includes(x.title));
  writeLibrary(dir, tracks);
  // The same recording twice: a best-of's re-encoded copy (fingerprint) and a differently cut file tagged with the same MBID.
  writeTrack(dir, { ...byFile(tracks, "Björk/Homogenic/01 Jóga.ogg"), file: "Various Artists/Best Of/03 Jóga.mp3", mbid: undefined });
  writeTrack(dir, { ...byFile(tracks, "The Beatles/Abbey Road/01 Come Together.flac"), file: "Various Artists/Best Of/01 Come Together.ogg", seed: 99 });
  // Bad files: not audio, a symlink loop, a name that is not UTF-8, and a non-audio file passed over.
  writeFileSync(join(dir, "broken.mp3"), Buffer.from("ID3 this is no mpeg audio ".repeat(40)));
  symlinkSync(dir, join(dir, "loop"));
  writeFileSync(Buffer.from(join(dir, "caf\xe9.ogg"), "latin1"), "x");
  writeFileSync(join(dir, "cover.jpg"), "not scanned");

  const first = await scanLibrary(handle.db, { root: dir });
  assert.equal(first.added, tracks.length, JSON.stringify(first));
  const reasons = new Map(first.bad.map((b) => [b.item.replace(dir, ""), b.reason]));
  assert.match(reasons.get("/broken.mp3") ?? "", /not-audio|corrupt|no audio/);
  assert.match(reasons.get("/loop") ?? "", /loop/);
  assert.match([...reasons.entries()].find(([k]) => k.startsWith("/caf"))?.[1] ?? "", /not UTF-8/);
  assert.deepEqual(first.sameRecording.map((s) => [s.path.replace(dir, ""), s.by]).sort(), [["/Various Artists/Best Of/01 Come Together.ogg", "mbid"], ["/Various Artists/Best Of/03 Jóga.mp3", "fingerprint"]]);
  assert.equal(first.sameRecording.find((s) => s.by === "fingerprint")!.sameAs, join(dir, "Björk/Homogenic/01 Jóga.ogg"));

  const stored = await handle.db.track.findMany({ include: { artist: true, album: true } });
  const at = (file: string) => stored.find((s) => s.audioPath === join(dir, file))!;
  const joga = at("Björk/Homogenic/01 Jóga.ogg");
  assert.equal(joga.externalId, fakeMbid("joga"), "a tagged recording MBID is the id");
  assert.deepEqual([joga.title, joga.artist.name, joga.album?.title, joga.trackNumber, joga.codec], ["Jóga", "Björk", "Homogenic", 1, "vorbis"]);
  assert.equal(at("Björk/Homogenic/02 Bachelorette.ogg").isrc, "GBAAA9700002");
  const dsmn = at("Queen/Jazz/01 Don't Stop Me Now.ogg");
  assert.match(dsmn.externalId, /^sha256:[0-9a-f]{64}$/, "untagged: the audio hash is the id");
  assert.equal(at("Various/Pulse/01 Intro.mp3").codec, "mp3");
  await storeListens(handle.db, [{ user: "ann", track: dsmn.externalId, plays: 5 }, { user: "ann", track: at("Various/Pulse/01 Intro.mp3").externalId, plays: 2 }], "test");

  const again = await scanLibrary(handle.db, { root: dir });
  assert.deepEqual([again.added, again.changed, again.moved, again.missing, again.unchanged], [0, 0, 0, 0, first.added]);

  // Change: re-tagged (same audio, new title); moved: a file renamed into another folder; deleted: one file gone; added: a new one.
  const retagged = join(dir, "retag.tmp.ogg.part");
  execFileSync("ffmpeg", ["-v", "error", "-y", "-i", dsmn.audioPath, "-map", "0", "-c", "copy", "-metadata:s:a:0", "title=Don't Stop Me Now (2024 tag)", "-f", "ogg", retagged]);
  renameSync(retagged, dsmn.audioPath);
  const comeTogether = at("The Beatles/Abbey Road/01 Come Together.flac");
  const pulseIntro = at("Various/Pulse/01 Intro.mp3");
  mkdirSync(join(dir, "Moved"));
  renameSync(comeTogether.audioPath, join(dir, "Moved", "Come Together.flac"));
  unlinkSync(join(dir, "Various/Pulse/01 Intro.mp3"));
  writeTrack(dir, { file: "New/01 Fresh.ogg", artist: "Newcomer", album: "New", title: "Fresh", trackNumber: 1, seed: 50 });
  // Changed audio at the same path (a better rip): re-described, and its cached features dropped so they are
  // computed again; the re-tagged file keeps its features (same audio).
  const bachelorette = at("Björk/Homogenic/02 Bachelorette.ogg");
  for (const trackId of [dsmn.id, bachelorette.id]) await handle.db.featureCache.create({ data: { trackId, mode: "MIDDLE", paramsHash: "p", path: `/cache/${trackId}.f32`, frames: 599 } });
  writeTrack(dir, { ...byFile(tracks, "Björk/Homogenic/02 Bachelorette.ogg"), seed: 77 });

  const third = await scanLibrary(handle.db, { root: dir });
  assert.deepEqual([third.added, third.changed, third.moved, third.missing], [1, 2, 1, 1], JSON.stringify(third));
  const rebuilt = await handle.db.track.findUniqueOrThrow({ where: { id: bachelorette.id } });
  assert.notEqual(rebuilt.audioHash, bachelorette.audioHash, "the new audio is described");
  assert.equal(rebuilt.externalId, bachelorette.externalId, "the track keeps its id and history");
  assert.equal(await handle.db.featureCache.count({ where: { trackId: bachelorette.id } }), 0, "new audio: features computed again");
  assert.equal(await handle.db.featureCache.count({ where: { trackId: dsmn.id } }), 1, "new tags only: features kept");
  const after = await handle.db.track.findUniqueOrThrow({ where: { id: dsmn.id } });
  assert.equal(after.title, "Don't Stop Me Now (2024 tag)");
  assert.equal(after.externalId, dsmn.externalId, "re-tagging keeps the id");
  const moved = await handle.db.track.findUniqueOrThrow({ where: { id: comeTogether.id } });
  assert.equal(moved.audioPath, join(dir, "Moved", "Come Together.flac"));
  const gone = await handle.db.track.findUniqueOrThrow({ where: { id: pulseIntro.id } });
  assert.ok(gone.missingSince, "a deleted file's track is marked missing");
  assert.equal((await handle.db.listen.findMany({ where: { trackId: gone.id } })).length, 1, "its listens are kept");
  const events = await handle.db.trackFileEvent.findMany({ where: { trackId: { in: [dsmn.id, comeTogether.id, gone.id] } }, orderBy: { id: "asc" } });
  assert.deepEqual(events.filter((e) => e.trackId === dsmn.id).map((e) => e.kind), ["added", "changed"]);
  assert.deepEqual(events.filter((e) => e.trackId === comeTogether.id).map((e) => e.kind), ["added", "moved"]);
  assert.deepEqual(events.filter((e) => e.trackId === gone.id).map((e) => e.kind), ["added", "missing"]);

  // The deleted file comes back (a restored backup): its track returns, with its history.
  writeTrack(dir, byFile(LIBRARY, "Various/Pulse/01 Intro.mp3"));
  const fourth = await scanLibrary(handle.db, { root: dir });
  assert.equal(fourth.moved + fourth.returned, 1, JSON.stringify(fourth));
  assert.equal((await handle.db.track.findUniqueOrThrow({ where: { id: gone.id } })).missingSince, null);
});

/** The catalogue rows of the generated library without audio (the matcher reads metadata only). */
async function seedCatalogue(db: Db, tracks: readonly GenTrack[] = LIBRARY): Promise<Map<string, string>> {
  await storeCatalog(db, tracks.map((t, i) => ({
    externalId: t.mbid ?? `gen:${i}`, title: t.title, artist: t.artist, album: t.album, albumSource: `library:${t.artist}`, licence: "test",
    position: t.trackNumber, durationSec: 12, audioPath: `/music/${t.file}`, contentHash: `hash${i}`, channels: 1, sampleRate: 22050, codec: "vorbis",
    isShort: true, isSilent: false, origin: "user",
  })));
  for (const [i, t] of tracks.entries()) if (t.isrc) await db.track.update({ where: { externalId: t.mbid ?? `gen:${i}` }, data: { isrc: t.isrc } });
  return new Map(tracks.map((t, i) => [t.file, t.mbid ?? `gen:${i}`]));
}

/** Every play matched by the import's own matcher and compared with the file it was generated from. */
async function accuracy(db: Db, plays: readonly GenPlay[], idOf: (file: string) => string) {
  const index = buildCatalogIndex(await loadMatchTracks(db));
  let matchable = 0;
  let right = 0;
  let wrong = 0;
  for (const p of plays) {
    const m = matchListen(index, { artist: p.artist, title: p.title, album: p.album, recordingMbid: p.mbid, isrc: p.isrc });
    if (p.truth !== null) matchable++;
    if (m.kind !== "matched") continue;
    if (p.truth !== null && m.track === idOf(p.truth)) right++;
    else wrong++;
  }
  return { matchable, right, wrong, share: right / matchable };
}

test("three commands: scan a folder, dry-run a ListenBrainz export (report, nothing stored), import it (≥ 98% of matchable plays, 0 wrong), factorize, and the API answers similar and recommendations on it", async (t) => {
  const dir = tmp("e2e");
  const handle = await freshDb();
  t.after(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const music = join(dir, "Music");
  writeLibrary(music);
  const plays = generatePlays(3000, 11, ["alice"]);
  writeListenBrainzZip(join(dir, "listenbrainz_alice.zip"), "alice", plays);
  const curator = (exitCode: number, ...args: string[]) => {
    const run = spawnSync(process.execPath, [join(root, "gpu-worker/bin/curator.js"), ...args], { cwd: root, env: { ...process.env, DATABASE_URL: handle.url, DATA_DIR: join(dir, "data"), CI: "1" }, encoding: "utf8" });
    assert.equal(run.status, exitCode, `curator ${args.join(" ")}: ${run.stderr}`);
    return run;
  };
  curator(EXIT_OK, "ingest", "--library", music);
  assert.equal(await handle.db.track.count(), LIBRARY.length);
  // The export repeats a few listens (same track, same time): counted once and listed, so the job ends PARTIAL.
  const dry = curator(EXIT_PARTIAL, "ingest", "--library", music, "--listens", join(dir, "listenbrainz_alice.zip"), "--format", "listenbrainz", "--dry-run");
  assert.match(dry.stdout, /match report for .*: \d+ plays by 1 user\(s\) \(alice\)/);
  assert.match(dry.stdout, /by mbid +\d+/);
  assert.match(dry.stdout, /unmatched \(most played\):\n +\d+ +(Radiohead – Airbag|Queen – Bicycle Race|Björk – Hunter|Röyksopp – Eple \(Shanghai Surprise remix\))/);
  assert.equal(await handle.db.listen.count(), 0, "a dry run stores nothing");
  assert.match(dry.stderr, /same listen as an earlier row/);
  curator(EXIT_PARTIAL, "ingest", "--library", music, "--listens", join(dir, "listenbrainz_alice.zip"), "--format", "listenbrainz");

  const stored = await handle.db.track.findMany({ select: { externalId: true, audioPath: true } });
  const idOf = (file: string) => stored.find((s) => s.audioPath === join(music, file))!.externalId;
  const acc = await accuracy(handle.db, plays, idOf);
  assert.equal(acc.wrong, 0, JSON.stringify(acc));
  assert.ok(acc.share >= 0.98, JSON.stringify(acc));
  // What was stored is what the plays say: per track, the plays generated from its file (repeats counted once).
  const listens = await handle.db.listen.findMany({ include: { track: true, user: true } });
  assert.deepEqual([...new Set(listens.map((l) => l.user.externalId))], ["alice"]);
  const expected = new Map<string, number>();
  const seen = new Set<string>();
  for (const p of plays) {
    if (p.truth === null || seen.has(`${p.truth}|${p.time}`)) continue;
    seen.add(`${p.truth}|${p.time}`);
    expected.set(idOf(p.truth), (expected.get(idOf(p.truth)) ?? 0) + 1);
  }
  const got = new Map(listens.map((l) => [l.track.externalId, l.plays]));
  for (const [id, n] of expected) assert.ok(Math.abs((got.get(id) ?? 0) - n) <= n * 0.02 + 1, `${id}: stored ${got.get(id)}, generated ${n}`);

  // Through to the workbench: a second listener's export (half the library), the rest of step 3's pipeline that
  // listens feed (factorize), and the API's answers on the imported data.
  const half = LIBRARY.slice(0, 6);
  writeListenBrainzZip(join(dir, "listenbrainz_bob.zip"), "bob", generatePlays(800, 12, ["bob"], half));
  curator(EXIT_PARTIAL, "ingest", "--library", music, "--listens", join(dir, "listenbrainz_bob.zip"), "--format", "listenbrainz");
  curator(EXIT_OK, "factorize", "--factors", "8", "--iterations", "8", "--threads", "1");
  const indexDir = tempIndexDir();
  const api = await startIndexedApi(handle.db, indexDir.dir);
  t.after(async () => {
    await api.close();
    indexDir.remove();
  });
  const bob = await handle.db.user.findUniqueOrThrow({ where: { externalId: "bob" } });
  const heard = new Set((await handle.db.listen.findMany({ where: { userId: bob.id }, select: { trackId: true } })).map((l) => l.trackId));
  const recs = await api.query<{ user: { recommendations: { track: { id: number; title: string }; score: number }[] } }>(
    `{ user(id: ${bob.id}) { recommendations(k: 3, includeCold: false) { track { id title } score } } }`,
  );
  assert.equal(recs.body.errors, undefined, JSON.stringify(recs.body.errors));
  // The reference: bob's factors · every unheard track's factors, as stored by the factorize stage.
  const active = await handle.db.activeFactorSet.findUniqueOrThrow({ where: { kind: "CF" } });
  const userVec = bytesToVector((await handle.db.userFactor.findUniqueOrThrow({ where: { factorSetId_userId: { factorSetId: active.factorSetId, userId: bob.id } } })).raw);
  const items = await handle.db.itemFactor.findMany({ where: { factorSetId: active.factorSetId, norm: { gt: 0 } } });
  const expectedRecs = items
    .filter((i) => !heard.has(i.trackId))
    .map((i) => ({ id: i.trackId, score: bytesToVector(i.raw).reduce((sum, x, j) => sum + x * userVec[j]!, 0) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 3);
  assert.deepEqual(recs.body.data!.user.recommendations.map((r) => r.track.id), expectedRecs.map((r) => r.id));
  recs.body.data!.user.recommendations.forEach((r, i) => assert.ok(Math.abs(r.score - expectedRecs[i]!.score) < 1e-4));
  assert.ok(recs.body.data!.user.recommendations.every((r) => !half.some((h) => h.title === r.track.title)), "only tracks bob never played");

  const query = stored.find((s) => s.audioPath === join(music, half[0]!.file))!;
  const queryId = (await handle.db.track.findUniqueOrThrow({ where: { externalId: query.externalId } })).id;
  const similar = await api.query<{ track: { similar: { track: { id: number }; score: number }[] } }>(`{ track(id: ${queryId}) { similar(k: 3, space: CF) { track { id } score } } }`);
  assert.equal(similar.body.errors, undefined, JSON.stringify(similar.body.errors));
  const unit = (raw: Uint8Array) => {
    const v = bytesToVector(raw);
    const n = Math.hypot(...v);
    return Array.from(v, (x) => x / n);
  };
  const q = unit(items.find((i) => i.trackId === queryId)!.raw);
  const expectedSimilar = items
    .filter((i) => i.trackId !== queryId)
    .map((i) => ({ id: i.trackId, score: unit(i.raw).reduce((sum, x, j) => sum + x * q[j]!, 0) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 3);
  assert.deepEqual(similar.body.data!.track.similar.map((s) => s.track.id), [queryId, ...expectedSimilar.map((s) => s.id)]);
});

test("ListenBrainz: legacy JSON array, malformed lines reported by file and line, a huge export streamed", async (t) => {
  const dir = tmp("lb");
  const handle = await freshDb();
  t.after(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ids = await seedCatalogue(handle.db);
  const plays = generatePlays(500, 3, ["bob"]);
  const bad = ["{not json", JSON.stringify({ track_metadata: { artist_name: "A", track_name: "B" } }), JSON.stringify({ listened_at: 1700000000, track_metadata: { artist_name: "A" } }), `{"x":"${"y".repeat(70_000)}"}`];
  writeListenBrainzZip(join(dir, "lb.zip"), "bob", plays, { 2: bad });
  const out = await importExport(handle.db, { path: join(dir, "lb.zip"), format: "listenbrainz", dryRun: true });
  assert.deepEqual(out.bad.filter((b) => !/same listen/.test(b.reason)).map((b) => b.reason.split(":")[0]!.split(" ").slice(0, 3).join(" ")), [
    "not JSON", "listened_at undefined is", "no track_metadata.track_name", "line longer than",
  ]);
  assert.ok(out.bad.every((b) => /lb\.zip:listens\/2024\/\d+\.jsonl line \d+$/.test(b.item)), JSON.stringify(out.bad.slice(0, 3)));
  assert.ok((await accuracy(handle.db, plays, (f) => ids.get(f)!)).wrong === 0);

  // The older export: one JSON array, user_name on each listen.
  const legacy = join(dir, "listens.json");
  writeFileSync(legacy, `[${plays.slice(0, 50).map((p) => listenBrainzLine(p).replace(/^\{/, '{"user_name":"bob",')).join(",")}]`);
  const older = await importExport(handle.db, { path: legacy, format: "listenbrainz", dryRun: true });
  assert.equal(older.report.plays + older.report.repeated, 50);
  assert.deepEqual(older.report.users, ["bob"]);
  // Importing an export again appends (plays double); --replace makes it the user's history again.
  const storedPlays = async () => (await handle.db.listen.aggregate({ _sum: { plays: true } }))._sum.plays ?? 0;
  const once = (await importExport(handle.db, { path: legacy, format: "listenbrainz" })).report.matchedPlays;
  assert.ok(once > 0);
  await importExport(handle.db, { path: legacy, format: "listenbrainz" });
  assert.equal(await storedPlays(), 2 * once);
  const replaced = await importExport(handle.db, { path: legacy, format: "listenbrainz", replace: true });
  assert.ok(replaced.replaced > 0);
  assert.equal(await storedPlays(), once);
  await handle.db.listen.deleteMany();

  // Huge: 120k listens in monthly files, read as streams (memory grows with distinct pairs, not listens).
  const huge = generatePlays(120_000, 5, ["u1", "u2", "u3"]);
  writeListenBrainzZip(join(dir, "huge.zip"), "carol", huge);
  const big = await importExport(handle.db, { path: join(dir, "huge.zip"), format: "listenbrainz" });
  assert.equal(big.report.plays + big.report.repeated, huge.length);
  assert.ok(big.report.share > 0.88, String(big.report.share));
  const stored = await handle.db.listen.aggregate({ _sum: { plays: true } });
  assert.equal(stored._sum.plays, big.report.matchedPlays);
});

test("Last.fm CSV: headered and headerless exports, bad rows reported by line, a huge file streamed", async (t) => {
  const dir = tmp("lastfm");
  const handle = await freshDb();
  t.after(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ids = await seedCatalogue(handle.db);
  const plays = generatePlays(1000, 21, ["dave"], LIBRARY, false);
  writeFileSync(join(dir, "dave.csv"), lastFmCsv(plays));
  const good = await importExport(handle.db, { path: join(dir, "dave.csv"), format: "lastfm", dryRun: true });
  assert.deepEqual(good.report.users, ["dave"], "the file name names the user");
  const acc = await accuracy(handle.db, plays, (f) => ids.get(f)!);
  assert.equal(acc.wrong, 0);
  assert.ok(acc.share >= 0.98, JSON.stringify(acc));
  // The import matched what the matcher matched, less the repeated scrobbles it counted once.
  assert.ok(good.report.matchedPlays <= acc.right && acc.right - good.report.matchedPlays <= good.report.repeated, JSON.stringify(good.report));

  // lastfm-to-csv's headerless form, with bad rows.
  writeFileSync(join(dir, "scrobbles.csv"), [
    `"Björk","Homogenic","Jóga","31 Jan 2021 12:34"`,
    `"","Homogenic","Jóga","31 Jan 2021 12:35"`,
    `"Queen","Jazz","Don't Stop Me Now","yesterday"`,
    `"Queen","Jazz","Don't Stop Me Now","01 Jan 1970 00:00"`,
    `"Queen","Jazz","Bicycle Race","01 Feb 2021 10:00"`,
  ].join("\n"));
  const headerless = await importExport(handle.db, { path: join(dir, "scrobbles.csv"), format: "lastfm", user: "erin", dryRun: true });
  assert.deepEqual(headerless.bad.map((b) => [b.item.replace(dir, ""), b.reason.split(" ")[0]]), [["/scrobbles.csv line 2", "empty"], ["/scrobbles.csv line 3", "time"], ["/scrobbles.csv line 4", "time"]]);
  assert.deepEqual([headerless.report.matchedPlays, headerless.report.unmatchedPlays, headerless.report.users], [1, 1, ["erin"]]);
  writeFileSync(join(dir, "wrong.csv"), "a,b\n1,2\n");
  assert.match((await importExport(handle.db, { path: join(dir, "wrong.csv"), format: "lastfm", dryRun: true })).bad[0]!.reason, /not a Last\.fm CSV/);

  const huge = generatePlays(120_000, 8, ["frank"], LIBRARY, false);
  writeFileSync(join(dir, "frank.csv"), lastFmCsv(huge));
  const big = await importExport(handle.db, { path: join(dir, "frank.csv"), format: "lastfm" });
  assert.equal(big.report.plays + big.report.repeated, huge.length);
  assert.equal((await handle.db.listen.aggregate({ _sum: { plays: true } }))._sum.plays, big.report.matchedPlays);
});

test("Spotify Extended Streaming History: plays below the threshold are not plays, podcasts left out, truncated JSON reported, a huge file streamed", async (t) => {
  const dir = tmp("spotify");
  const handle = await freshDb();
  t.after(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ids = await seedCatalogue(handle.db);
  const base = generatePlays(600, 31, ["gina"], LIBRARY, false);
  const streams = base.map((p, i) => ({ ...p, msPlayed: i % 3 === 0 ? 12_000 : 95_000, skipped: i % 3 === 0 || i % 5 === 0 }));
  const export_ = join(dir, "my_spotify_data");
  mkdirSync(join(export_, "Spotify Extended Streaming History"), { recursive: true });
  const text = spotifyJson(streams);
  const withPodcast = text.replace(/\]$/, `,{"ts":"2024-03-01T10:00:00Z","ms_played":600000,"master_metadata_track_name":null,"master_metadata_album_artist_name":null,"episode_name":"A podcast","skipped":false}]`);
  writeFileSync(join(export_, "Spotify Extended Streaming History", "Streaming_History_Audio_2024.json"), withPodcast);
  writeFileSync(join(export_, "Spotify Extended Streaming History", "Streaming_History_Video_2024.json"), "[]");
  const out = await importExport(handle.db, { path: export_, format: "spotify", user: "gina", dryRun: true });
  const long = streams.filter((s) => s.msPlayed >= 30_000);
  assert.equal(out.report.tooShort, streams.length - long.length);
  assert.equal(out.report.notMusic, 1);
  assert.equal(out.report.plays + out.report.repeated, long.length, "a skipped stream that played 30 s counts");
  const acc = await accuracy(handle.db, long, (f) => ids.get(f)!);
  assert.equal(acc.wrong, 0);
  assert.ok(acc.share >= 0.98, JSON.stringify(acc));
  // The threshold is configurable: at 10 s every stream counts.
  assert.equal((await importExport(handle.db, { path: export_, format: "spotify", user: "gina", minPlayMs: 10_000, dryRun: true })).report.tooShort, 0);

  const truncated = join(dir, "Streaming_History_Audio_cut.json");
  writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
  const cut = await importExport(handle.db, { path: truncated, format: "spotify", dryRun: true });
  assert.match(cut.bad.at(-1)!.reason, /not a JSON array of objects \(after item \d+\)/);
  assert.ok(cut.report.plays > 0, "the streams before the cut are kept");

  const huge = generatePlays(100_000, 9, ["hal"], LIBRARY, false).map((p) => ({ ...p, msPlayed: 200_000 }));
  const hugeFile = join(dir, "Streaming_History_Audio_huge.json");
  writeFileSync(hugeFile, spotifyJson(huge));
  const big = await importExport(handle.db, { path: hugeFile, format: "spotify", user: "hal" });
  assert.equal(big.report.plays + big.report.repeated, huge.length);
  assert.equal((await handle.db.listen.aggregate({ _sum: { plays: true } }))._sum.plays, big.report.matchedPlays);
});

test("albums: one per MusicBrainz release when tagged (two releases with one title apart, one release's varying album-artist tags together), else per album artist and title", async (t) => {
  const dir = tmp("albums");
  const handle = await freshDb();
  t.after(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const [first, second] = [fakeMbid("release-1"), fakeMbid("release-2")];
  const files: [GenTrack, Record<string, string>][] = [
    [{ file: "Hits 1999/01 One.ogg", artist: "Ada", album: "Greatest Hits", title: "One", trackNumber: 1, seed: 31, seconds: 6 }, { ALBUMARTIST: "Various Artists", MUSICBRAINZ_ALBUMID: first }],
    [{ file: "Hits 1999/02 Two.ogg", artist: "Bo", album: "Greatest Hits", title: "Two", trackNumber: 2, seed: 32, seconds: 6 }, { ALBUMARTIST: "Bo feat. Cy", MUSICBRAINZ_ALBUMID: first }],
    [{ file: "Hits 2005/01 Three.ogg", artist: "Ada", album: "Greatest Hits", title: "Three", trackNumber: 1, seed: 33, seconds: 6 }, { ALBUMARTIST: "Various Artists", MUSICBRAINZ_ALBUMID: second }],
    [{ file: "Untagged/01 Four.ogg", artist: "Ada", album: "Greatest Hits", title: "Four", trackNumber: 1, seed: 34, seconds: 6 }, { ALBUMARTIST: "Various Artists" }],
    [{ file: "Untagged/02 Five.ogg", artist: "Bo", album: "Greatest Hits", title: "Five", trackNumber: 2, seed: 35, seconds: 6 }, { ALBUMARTIST: "Various Artists" }],
  ];
  for (const [track, tags] of files) writeTrack(dir, track, tags);
  // A tracker module (a real one, from the corpus): scanned like the rest, its title from libopenmpt, nothing reported.
  const [, module] = await realAudioFiles(1);
  mkdirSync(join(dir, "Modules"));
  copyFileSync(module!, join(dir, "Modules", basename(module!)));
  const scan = await scanLibrary(handle.db, { root: dir });
  assert.equal(scan.added, files.length + 1, JSON.stringify(scan));
  assert.deepEqual(scan.bad, []);
  const tracker = await handle.db.track.findFirstOrThrow({ where: { audioPath: join(dir, "Modules", basename(module!)) } });
  assert.equal(tracker.title, execFileSync("ffprobe", ["-v", "error", "-show_entries", "format_tags=title", "-of", "csv=p=0", module!], { encoding: "utf8" }).trim() || basename(module!).replace(/\.[^.]+$/, ""));
  const rows = await handle.db.track.findMany({ where: { id: { not: tracker.id } }, select: { title: true, releaseMbid: true, album: { select: { id: true, title: true } } } });
  const albumOf = (title: string) => rows.find((r) => r.title === title)!.album!;
  assert.equal(rows.find((r) => r.title === "One")!.releaseMbid, first, "the release id is read from the tags");
  assert.equal(albumOf("One").id, albumOf("Two").id, "one release, whatever its album-artist tags");
  assert.notEqual(albumOf("One").id, albumOf("Three").id, "two releases with one title");
  assert.equal(albumOf("Four").id, albumOf("Five").id, "untagged: one album per album artist and title");
  assert.ok(![albumOf("One").id, albumOf("Three").id].includes(albumOf("Four").id));
  assert.deepEqual(new Set(rows.map((r) => r.album!.title)), new Set(["Greatest Hits"]));
  assert.equal(await handle.db.album.count({ where: { tracks: { some: { id: { not: tracker.id } } } } }), 3);
});
