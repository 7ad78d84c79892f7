import { test } from "node:test";
import assert from "node:assert/strict";
import { copyrightFor, holderName, licenceFor, parseDep5 } from "@curator/worker/ingest/corpus/licence.js";
import {
  artistFromTag, composerFromTrackerMessage, parseEtrReadme, parseFofSongIni, parseOpenclonkAuthors, parseStkMusic, parseWarzoneAlbum, titleFromFileName,
} from "@curator/worker/ingest/corpus/credits.js";
import { membersMatching, parseDebListing } from "@curator/worker/ingest/corpus/deb.js";
import { parseMaxVolumeDb } from "@curator/worker/ingest/peak-level.js";
import { assignPositions, dropDuplicates, type UnplacedRow } from "@curator/worker/ingest/catalog/rows.js";

const DEP5 = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/

Files: *
Copyright: 2019 Team
License: CC-BY-SA-4.0

Files: data/music/*
Copyright: Marek Moeckel <wansti@gmx.de>
License: GPL-2+

Files: data/music/ingame_24.ogg data/music/ingame_25.ogg
Copyright: 2015 Stuart Marshall
License: CC-BY-SA-3.0
 Long licence text that is not the short name.

Files: debian/*
Copyright: 2020 Packager
License: GPL-3+
`;

test("DEP-5: upstream patterns match installed paths by their tails, exact file names win", () => {
  const paragraphs = parseDep5(DEP5);
  assert.equal(paragraphs.length, 4);
  const exact = copyrightFor(paragraphs, "usr/share/games/widelands/data/music/ingame_25.ogg")!;
  assert.equal(exact.exact, true);
  assert.equal(exact.paragraph.license, "CC-BY-SA-3.0");
  assert.equal(holderName(exact.paragraph.copyright), "Stuart Marshall");
  const folder = copyrightFor(paragraphs, "usr/share/games/supertux2/music/forest/x.ogg")!;
  assert.equal(folder.exact, false);
  assert.equal(licenceFor(folder, DEP5), "GPL-2+");
  assert.equal(licenceFor(copyrightFor(paragraphs, "usr/share/games/x/sounds/a.wav"), DEP5), "CC-BY-SA-4.0");
  assert.equal(holderName("Marek Moeckel <wansti@gmx.de>"), "Marek Moeckel");
  assert.equal(licenceFor(undefined, "Permission is hereby granted, free of charge, to any person"), "Expat");
  assert.equal(licenceFor(undefined, "All rights reserved."), "unknown (see debian/copyright)");
  assert.equal(licenceFor(undefined, "licenced under the terms of the Creative Commons\nAttribution ShareAlike licence 3.0:"), "CC-BY-SA-3.0");
});

test("package credits files", () => {
  const wz = parseWarzoneAlbum(JSON.stringify({ title: "OST", author: "Martin Severn", tracks: [{ filename: "b.opus", title: "B" }, { filename: "a.opus", title: "A", author: "Guest" }] }));
  assert.deepEqual(wz.get("b.opus"), { title: "B", artist: "Martin Severn", album: "OST", order: 1 });
  assert.deepEqual(wz.get("a.opus"), { title: "A", artist: "Guest", album: "OST", order: 2 });
  assert.deepEqual(parseStkMusic('<?xml version="1.0"?>\n<music title = "Bay"\n composer = "0zone0ne"\n file = "bay.ogg"/>'),
    { file: "bay.ogg", credit: { title: "Bay", artist: "0zone0ne" } });
  const etr = parseEtrReadme("Music Authors List\n\nJoseph Toscano <scarjt@pcom.net> composed:\n\toptions1-jt.ogg\n\trace1-jt.ogg\n\nGrady O'Connell <x@y> composed:\n\tfreezingpoint.ogg\n");
  assert.equal(etr.get("race1-jt.ogg")?.artist, "Joseph Toscano");
  assert.equal(etr.get("freezingpoint.ogg")?.artist, "Grady O'Connell");
  const oc = parseOpenclonkAuthors("Author        Work(s)\n=====\n\nK-Pone        IslandDreams, Motorway\n");
  assert.equal(oc.get("Motorway")?.artist, "K-Pone");
  assert.deepEqual(parseFofSongIni("[song]\nname = Feelings\nartist = Composed and performed by Sectoid\n"), { title: "Feelings", artist: "Sectoid" });
  assert.deepEqual(parseFofSongIni("[song]\nname = Chaos God\nartist = Muldjord - www.muldjord.com\n"), { title: "Chaos God", artist: "Muldjord" });
});

test("tracker messages: signed composers only, ripper banners ignored", () => {
  assert.equal(composerFromTrackerMessage("written and tracked by\njoseph toscano\nscarjt@buffnet.net"), "Joseph Toscano");
  assert.equal(composerFromTrackerMessage("\"Goin' march\"\nby\nYuri R. Sucupira\nyuri@x"), "Yuri R. Sucupira");
  assert.equal(composerFromTrackerMessage("MUSIC BY REG & ZBB 01\nMUSIC BY REG & ZBB 02"), "Reg & Zbb");
  assert.equal(composerFromTrackerMessage("music from reg\n_*  Converted with  *\n_***  by Gryzor!  ***"), undefined);
  assert.equal(titleFromFileName("arctic_breeze"), "Arctic Breeze");
  assert.equal(artistFromTag('Braden Walters;Braden "meoblast001" Walters'), "Braden Walters");
  assert.equal(artistFromTag("http://zhaymusic.com/"), undefined);
  assert.equal(titleFromFileName("@CrushedIceCocktail"), "Crushed Ice Cocktail");
});

test("dpkg-deb listings and member globs", () => {
  const listing = [
    "drwxr-xr-x root/root         0 2023-01-22 14:13 ./usr/share/games/asc/music/",
    "-rw-r--r-- root/root   4407769 2023-01-22 14:13 ./usr/share/games/asc/music/frontiers.mp3",
    "-rw-r--r-- root/root      1536 2023-01-22 14:13 ./usr/share/songs/Metal madness/song.ini",
    "lrwxrwxrwx root/root         0 2023-01-22 14:13 ./usr/share/doc/x/copyright -> ../y/copyright",
  ].join("\n");
  const names = parseDebListing(listing);
  assert.deepEqual(names[2], "./usr/share/songs/Metal madness/song.ini");
  assert.equal(names[3], "./usr/share/doc/x/copyright");
  assert.deepEqual(membersMatching(names, ["./usr/share/games/asc/music/*", "./usr/share/songs/*"]),
    ["./usr/share/games/asc/music/frontiers.mp3", "./usr/share/songs/Metal madness/song.ini"]);
});

test("volumedetect peak, album positions and duplicate detection", () => {
  assert.equal(parseMaxVolumeDb("[Parsed_volumedetect_0 @ 0x1] mean_volume: -91.0 dB\n[Parsed_volumedetect_0 @ 0x1] max_volume: -91.0 dB"), -91);
  assert.equal(parseMaxVolumeDb("max_volume: -inf dB"), -Infinity);
  assert.throws(() => parseMaxVolumeDb("Output file is empty"), /decoded no audio/);
  const base = { title: "t", artist: "a", albumSource: "debian:p", licence: "GPL-2+", durationSec: 60, audioPath: "", contentHash: "",
    channels: 2, sampleRate: 44100, codec: "vorbis", isShort: false, isSilent: false, origin: "recording" as const };
  const item = (id: string, album: string, order?: number): UnplacedRow => ({ row: { ...base, externalId: id, album, audioPath: `/a/${id}`, contentHash: id[0]! }, order, sortKey: id });
  const placed = assignPositions([item("track10", "A"), item("track2", "A"), item("z", "B", 1), item("a", "B", 2)]);
  assert.deepEqual(placed.map((r) => [r.externalId, r.position]), [["track2", 1], ["track10", 2], ["z", 1], ["a", 2]]);
  const { rows, duplicates } = dropDuplicates(placed);
  assert.deepEqual(rows.map((r) => r.externalId), ["track2", "z", "a"]);
  assert.match(duplicates[0]!.reason, /same sha256 as \/a\/track2/);
});
