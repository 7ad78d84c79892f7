// The corpus fetch unpacks a game's .pk3 (a zip) for its music: audio members out, byte for byte, stored or
// deflated, the rest left alone; a member that would land outside the folder is refused. Archives are written by
// Python's zipfile, an independent zip writer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unpackZipAudio } from "@curator/worker/ingest/corpus/unpack.js";

/** Members as [name, bytes, "stored" | "deflated"], handed to Python on stdin. */
function writeZip(path: string, members: [string, Buffer, "stored" | "deflated"][]): void {
  const script = `
import base64, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for name, data, method in json.load(sys.stdin):
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_STORED if method == "stored" else zipfile.ZIP_DEFLATED
        z.writestr(info, base64.b64decode(data))
`;
  const input = JSON.stringify(members.map(([name, data, method]) => [name, data.toString("base64"), method]));
  execFileSync("python3", ["-c", script, path], { input });
}

const noise = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7919 + seed * 104729) % 251));

test("unpackZipAudio writes the audio members (stored and deflated) next to the archive and removes it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "curator-unpack-"));
  try {
    const archive = join(dir, "data.pk3");
    const ogg = noise(70_000, 1);
    const wav = Buffer.from("RIFF".padEnd(5000, "a"));
    writeZip(archive, [
      ["maps/", Buffer.alloc(0), "stored"],
      ["maps/level.bsp", noise(3000, 2), "deflated"],
      ["sound/cdtracks/track01.ogg", ogg, "stored"],
      ["sound/cdtracks/track02.wav", wav, "deflated"],
    ]);
    const written = await unpackZipAudio(archive);
    assert.deepEqual(written, [join(dir, "sound/cdtracks/track01.ogg"), join(dir, "sound/cdtracks/track02.wav")]);
    assert.deepEqual(readFileSync(written[0]!), ogg);
    assert.deepEqual(readFileSync(written[1]!), wav);
    assert.equal(existsSync(join(dir, "maps/level.bsp")), false, "non-audio members stay in the archive");
    assert.equal(existsSync(archive), false, "the archive is removed once unpacked");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("unpackZipAudio refuses a member outside the folder, an archive without audio, and a file that is no zip", async () => {
  const dir = mkdtempSync(join(tmpdir(), "curator-unpack-"));
  try {
    const escaping = join(dir, "inner", "evil.pk3");
    mkdirSync(join(dir, "inner"));
    writeZip(escaping, [["../evil.ogg", Buffer.from("OggS"), "stored"]]);
    await assert.rejects(unpackZipAudio(escaping), (err: Error) => err.message.startsWith(`${escaping}: `) && /\.\.\/evil\.ogg/.test(err.message));
    assert.equal(existsSync(join(dir, "evil.ogg")), false);
    assert.equal(existsSync(escaping), true, "a refused archive is kept");

    const silent = join(dir, "maps.pk3");
    writeZip(silent, [["maps/level.bsp", noise(100, 3), "deflated"]]);
    await assert.rejects(unpackZipAudio(silent), { message: `${silent}: no audio members` });

    const notZip = join(dir, "broken.pk3");
    writeFileSync(notZip, "this is not a zip archive");
    await assert.rejects(unpackZipAudio(notZip), (err: Error) => err.message.startsWith(`${notZip}: not a readable zip`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
