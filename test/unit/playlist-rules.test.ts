import { test } from "node:test";
import assert from "node:assert/strict";
import { spreadArtists } from "@curator/server/playlists/rules.js";

const tracks = (artists: string) => [...artists].map((a, i) => ({ id: i + 1, artistId: a.charCodeAt(0) }));
const artistsOf = (list: { artistId: number }[]) => String.fromCharCode(...list.map((t) => t.artistId));

test("spreadArtists: no artist twice in a row where another order allows it, best-ranked first otherwise", () => {
  assert.equal(artistsOf(spreadArtists(tracks("AAABBB"))), "ABABAB");
  // The first track stays first; each place takes the best-ranked track by another artist.
  assert.deepEqual(spreadArtists(tracks("AABCA")).map((t) => t.id), [1, 3, 2, 4, 5]);
  // When only one artist's tracks remain, they follow each other in rank order.
  assert.equal(artistsOf(spreadArtists(tracks("AAAAB"))), "ABAAA");
  // A pinned last track's artist is kept off the place before it where possible.
  assert.equal(artistsOf(spreadArtists(tracks("ABC"), { id: 99, artistId: "C".charCodeAt(0) })), "ACB");
  // Three B's in four places before a pinned B: one repeat cannot be avoided, and only one is made.
  assert.equal(artistsOf(spreadArtists(tracks("ABAB"), { id: 99, artistId: "B".charCodeAt(0) })), "ABAB");
  assert.deepEqual(spreadArtists([]), []);
  assert.deepEqual(spreadArtists(tracks("A")), tracks("A"));
});
