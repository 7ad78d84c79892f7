import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { toM3u } from "@curator/server/playlists/m3u.js";
import { toXspf } from "@curator/server/playlists/xspf.js";
import type { ExportEntry } from "@curator/server/playlists/export-entry.js";
import { playlistFileName } from "@curator/server/playlists/file-name.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const hostile: ExportEntry[] = [
  { location: "/media/audio/1", title: `Tom & "Jerry" <b>'s</b>\u0001`, artist: "A\nB", album: null, durationSec: 61.6, trackNumber: null, recordingMbid: null },
  { location: "http://h/media/audio/2?x=1&y=2", title: "Ünïcødé 🎵", artist: "C", album: "D & E", durationSec: 20, trackNumber: 7, recordingMbid: "0f0e0d0c-0b0a-4909-8807-060504030201" },
];

test("M3U: EXTINF with rounded seconds and artist - title; line breaks cannot start a new entry", () => {
  assert.equal(
    toM3u("Mix\r\n#EXTINF:1,evil", hostile),
    [
      "#EXTM3U",
      "#PLAYLIST:Mix #EXTINF:1,evil",
      `#EXTINF:62,A B - Tom & "Jerry" <b>'s</b>\u0001`,
      "/media/audio/1",
      "#EXTINF:20,C - Ünïcødé 🎵",
      "http://h/media/audio/2?x=1&y=2",
      "",
    ].join("\n"),
  );
});

test("XSPF: Python's XML parser reads back every escaped field", () => {
  const python = execFileSync("bash", [join(root, "scripts/python-env.sh"), "test"], { encoding: "utf8" }).trim().split("\n").pop()!;
  const parsed = execFileSync(
    python,
    [
      "-c",
      `import sys, json, xml.etree.ElementTree as ET
ns = {"x": "http://xspf.org/ns/0/"}
root = ET.fromstring(sys.stdin.buffer.read())
print(json.dumps({"title": root.find("x:title", ns).text, "tracks": [{c.tag.split("}")[1]: c.text for c in t} for t in root.iterfind("x:trackList/x:track", ns)]}))`,
    ],
    { input: toXspf("Rock & <Roll>", hostile), encoding: "utf8" },
  );
  assert.deepEqual(JSON.parse(parsed), {
    title: "Rock & <Roll>",
    tracks: [
      { location: "/media/audio/1", title: `Tom & "Jerry" <b>'s</b>`, creator: "A\nB", duration: "61600" },
      { location: "http://h/media/audio/2?x=1&y=2", identifier: "https://musicbrainz.org/recording/0f0e0d0c-0b0a-4909-8807-060504030201", title: "Ünïcødé 🎵", creator: "C", album: "D & E", trackNum: "7", duration: "20000" },
    ],
  });
});

test("file names: only what file systems forbid is changed", () => {
  assert.equal(playlistFileName("Path: Frontiers → Metal madness", "M3U"), "Path - Frontiers → Metal madness.m3u8");
  assert.equal(playlistFileName("AC/DC & Björk's \"best\" <live>?", "XSPF"), "AC-DC & Björk's 'best' (live).xspf");
  assert.equal(playlistFileName("...", "JSPF"), "playlist.jspf");
});
