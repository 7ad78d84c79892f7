// Exported playlists opened by real parsers: ffprobe's HLS/M3U demuxer for .m3u8, an XML parser for XSPF
// (fast-xml-parser, validating well-formedness), and a JSON Schema of JSPF (ajv) for JSPF.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import AjvModule from "ajv";
import addFormatsModule from "ajv-formats";
import { toM3u } from "@curator/server/playlists/m3u.js";
import { toXspf } from "@curator/server/playlists/xspf.js";
import { toJspf } from "@curator/server/playlists/jspf.js";
import { playlistFileName } from "@curator/server/playlists/file-name.js";
import type { ExportEntry } from "@curator/server/playlists/export-entry.js";

/** JSPF as https://xspf.org/jspf defines it (XSPF's elements as JSON; location and identifier are arrays of URIs). */
const JSPF_SCHEMA = {
  type: "object",
  required: ["playlist"],
  additionalProperties: false,
  properties: {
    playlist: {
      type: "object",
      required: ["track"],
      properties: {
        title: { type: "string" },
        creator: { type: "string" },
        date: { type: "string", format: "date-time" },
        track: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            properties: {
              location: { type: "array", items: { type: "string", format: "uri" } },
              identifier: { type: "array", items: { type: "string", format: "uri" } },
              title: { type: "string" },
              creator: { type: "string" },
              annotation: { type: "string" },
              info: { type: "string", format: "uri" },
              image: { type: "string", format: "uri" },
              album: { type: "string" },
              trackNum: { type: "integer", minimum: 1 },
              duration: { type: "integer", minimum: 0 },
              extension: { type: "object" },
            },
          },
        },
      },
    },
  },
} as const;

function tone(path: string, seconds: number): void {
  execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", `sine=frequency=440:duration=${seconds}`, "-c:a", "libvorbis", path]);
}

test("exports open in real parsers: m3u8 in ffprobe, XSPF in an XML parser, JSPF against the JSPF schema; local paths with odd names survive", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "playlist-files-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = join(dir, "Sigur Rós – Hoppípolla #1 & more.ogg");
  const b = join(dir, "AC DC 50% [live].ogg");
  tone(a, 2);
  tone(b, 3);
  const entries: ExportEntry[] = [
    { location: a, title: "Hoppípolla", artist: "Sigur Rós", album: "Takk...", durationSec: 2, trackNumber: 4, recordingMbid: "0f0e0d0c-0b0a-4909-8807-060504030201" },
    { location: b, title: "Live <one>", artist: "AC/DC", album: null, durationSec: 3, trackNumber: null, recordingMbid: null },
  ];
  const name = "Path: Frontiers → Metal madness";

  // m3u8 with local paths: ffprobe's HLS demuxer plays the list through; the total duration is both files'.
  const m3u8 = join(dir, playlistFileName(name, "M3U"));
  assert.equal(m3u8, join(dir, "Path - Frontiers → Metal madness.m3u8"));
  writeFileSync(m3u8, toM3u(name, entries));
  // ffprobe's HLS demuxer reads the list and every file in it: the packets' durations add up to both files.
  const packets = execFileSync("ffprobe", ["-v", "error", "-f", "hls", "-allowed_extensions", "ALL", "-protocol_whitelist", "file", "-show_entries", "packet=duration_time", "-of", "csv=p=0", m3u8], { encoding: "utf8" });
  const seconds = packets.split("\n").reduce((sum, line) => sum + (Number.parseFloat(line) || 0), 0);
  assert.ok(Math.abs(seconds - 5) < 0.2, `ffprobe read ${seconds} s of audio through the m3u8`);

  // XSPF with local paths: well-formed, locations are file:// URLs that name the files, trackNum the album number.
  const xspf = toXspf(name, entries, "path");
  assert.equal(XMLValidator.validate(xspf), true);
  const parsed = new XMLParser({ parseTagValue: false }).parse(xspf) as { playlist: { title: string; trackList: { track: Record<string, string>[] } } };
  assert.equal(parsed.playlist.title, name);
  const tracks = parsed.playlist.trackList.track;
  assert.deepEqual(tracks.map((x) => fileURLToPath(x.location!)), [a, b]);
  assert.deepEqual(tracks.map((x) => x.trackNum), ["4", undefined]);
  assert.equal(tracks[1]!.title, "Live <one>");
  assert.equal(tracks[0]!.identifier, "https://musicbrainz.org/recording/0f0e0d0c-0b0a-4909-8807-060504030201");

  // JSPF with URLs and with paths: valid against the schema; identifiers only where an MBID is known.
  // Both are CommonJS modules whose default export is the module object under NodeNext.
  const Ajv = AjvModule.default;
  const addFormats = addFormatsModule.default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSPF_SCHEMA);
  for (const kind of ["url", "path"] as const) {
    const doc = JSON.parse(toJspf(name, kind === "url" ? entries.map((e, i) => ({ ...e, location: `http://h:4000/media/audio/${i + 1}` })) : entries, kind)) as {
      playlist: { track: { location: string[]; identifier?: string[]; trackNum?: number }[] };
    };
    assert.ok(validate(doc), JSON.stringify(validate.errors));
    assert.deepEqual(doc.playlist.track.map((x) => x.trackNum), [4, undefined]);
    assert.deepEqual(doc.playlist.track.map((x) => x.identifier?.length ?? 0), [1, 0]);
    if (kind === "path") assert.deepEqual(doc.playlist.track.map((x) => fileURLToPath(x.location[0]!)), [a, b]);
  }
  // A JSPF missing its track list is refused by the same schema (the check can fail).
  assert.equal(validate({ playlist: { title: "x", track: [{ trackNum: "1" }] } }), false);
});
