import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCatalogIndex, matchListen, normaliseArtist, normaliseTitle, type MatchTrack } from "@curator/worker/ingest/listens/match.js";

const M1 = "11111111-1111-4111-8111-111111111111";
const catalogue: MatchTrack[] = [
  { externalId: "joga", artist: "Björk", title: "Jóga", album: "Homogenic", recordingMbid: M1, isrc: null },
  { externalId: "dsmn", artist: "Queen", title: "Don't Stop Me Now", album: "Jazz", recordingMbid: null, isrc: "GBUM71029604" },
  { externalId: "dsmn-live", artist: "Queen", title: "Don't Stop Me Now - Live", album: "Live Killers", recordingMbid: null, isrc: null },
  { externalId: "lucky", artist: "Daft Punk feat. Pharrell Williams", title: "Get Lucky", album: "Random Access Memories", recordingMbid: null, isrc: null },
  { externalId: "eple-1", artist: "Röyksopp", title: "Eple", album: "Melody A.M.", recordingMbid: null, isrc: null },
  { externalId: "eple-2", artist: "Röyksopp", title: "Eple", album: "Late Night Tales", recordingMbid: null, isrc: null },
];
const index = buildCatalogIndex(catalogue);
const q = (artist: string, title: string, extra: Partial<{ album: string; recordingMbid: string; isrc: string }> = {}) =>
  matchListen(index, { artist, title, album: extra.album ?? null, recordingMbid: extra.recordingMbid ?? null, isrc: extra.isrc ?? null });

test("rule order: MBID first, then ISRC, then artist + title, then album", () => {
  // The MBID wins even where the text names another track.
  assert.deepEqual(q("Queen", "Don't Stop Me Now", { recordingMbid: M1 }), { kind: "matched", track: "joga", rule: "mbid" });
  assert.deepEqual(q("Queen (misspelt)", "Dont stop", { isrc: "GBUM71029604" }), { kind: "matched", track: "dsmn", rule: "isrc" });
  // An MBID the catalogue does not hold falls through to the text.
  assert.deepEqual(q("Bjork", "Joga", { recordingMbid: "22222222-2222-4222-8222-222222222222" }), { kind: "matched", track: "joga", rule: "artist-title" });
  assert.deepEqual(q("Röyksopp", "Eple", { album: "Late Night Tales" }), { kind: "matched", track: "eple-2", rule: "artist-title-album" });
  assert.deepEqual(q("Röyksopp", "Eple", { album: "MELODY A.M." }), { kind: "matched", track: "eple-1", rule: "artist-title-album" });
});

test("normalisation: case, diacritics, punctuation, feat., remaster notes", () => {
  assert.equal(q("BJORK", "JOGA").kind, "matched");
  assert.deepEqual(q("queen", "Don’t Stop Me Now (Remastered 2011)"), { kind: "matched", track: "dsmn", rule: "artist-title" });
  assert.deepEqual(q("Queen", "Don't Stop Me Now - 2011 Remaster"), { kind: "matched", track: "dsmn", rule: "artist-title" });
  assert.deepEqual(q("Daft Punk", "Get Lucky (feat. Pharrell Williams)"), { kind: "matched", track: "lucky", rule: "artist-title" });
  assert.deepEqual(q("Daft Punk, Pharrell Williams", "Get Lucky"), { kind: "matched", track: "lucky", rule: "artist-title" });
  assert.equal(normaliseArtist("Beyoncé ft. Jay-Z"), "beyonce");
  assert.equal(normaliseTitle("Heroes - 2017 Remaster"), normaliseTitle("heroes"));
});

test("live and other versions are kept apart from the studio recording", () => {
  assert.deepEqual(q("Queen", "Don't Stop Me Now (Live at Montreal 1981)"), { kind: "matched", track: "dsmn-live", rule: "artist-title" });
  assert.deepEqual(q("Queen", "Don't Stop Me Now - Live"), { kind: "matched", track: "dsmn-live", rule: "artist-title" });
  assert.deepEqual(q("Queen", "Don't Stop Me Now (Acoustic)"), { kind: "unmatched" });
  assert.deepEqual(q("Röyksopp", "Eple (Shanghai Surprise remix)"), { kind: "unmatched" });
  assert.notEqual(normaliseTitle("Song (Live)"), normaliseTitle("Song"));
});

test("ties without an album are ambiguous, not guessed; unknown tracks are unmatched", () => {
  assert.deepEqual(q("Röyksopp", "Eple"), { kind: "ambiguous", candidates: ["eple-1", "eple-2"] });
  assert.deepEqual(q("Röyksopp", "Eple", { album: "Junior" }), { kind: "ambiguous", candidates: ["eple-1", "eple-2"] });
  assert.deepEqual(q("Radiohead", "Airbag"), { kind: "unmatched" });
});
