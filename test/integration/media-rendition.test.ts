import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { probeAudio } from "@curator/worker/features/probe.js";
import { defaultRenditionDir, renditionPath } from "@curator/server/media/rendition.js";
import { freshDb } from "../support/db.js";
import { startApi } from "../support/api.js";
import { realAudioFiles } from "../support/corpus.js";

test("audio no browser decodes (a tracker module) is served as an MP3 rendition made once, with its type, extension and codec", async () => {
  const [mp3, module] = await realAudioFiles(1);
  assert.ok(mp3!.endsWith(".mp3") && module!.endsWith(".mod"), `the corpus helper gives an mp3 and a module: ${mp3}, ${module}`);
  const dir = mkdtempSync(join(tmpdir(), "curator-rendition-"));
  const broken = join(dir, "broken.it");
  writeFileSync(broken, "IMPM but not a module at all");
  const run = `${process.pid}-${Date.now()}`;
  const { db, close } = await freshDb();
  const api = await startApi(db);
  const base = api.url.replace(/\/graphql$/, "");
  try {
    const artist = await db.artist.create({ data: { name: "A" } });
    const make = async (externalId: string, audioPath: string, codec?: string) => {
      const probe = codec ? { durationSeconds: 10, channels: 2, sampleRate: 44100, codec } : await probeAudio(audioPath);
      return db.track.create({
        data: { externalId, title: externalId, artistId: artist.id, durationSec: probe.durationSeconds, audioPath, contentHash: `rendition-${run}-${externalId}`, channels: probe.channels, sampleRate: probe.sampleRate, codec: probe.codec },
      });
    };
    const tracker = await make("module", module!);
    const plain = await make("mp3", mp3!);
    const bad = await make("broken", broken, "pcm_f32le");
    assert.equal(tracker.codec, "pcm_f32le", "ffprobe names libopenmpt's output, which is why the extension decides");

    type Fields = { audioUrl: string; audioCodec: string; audioMimeType: string; fileFormat: string };
    const fields = async (id: number) => (await api.query<{ track: Fields }>(`{ track(id: ${id}) { audioUrl audioCodec audioMimeType fileFormat } }`)).body.data!.track;
    assert.deepEqual(await fields(tracker.id), { audioUrl: `/media/audio/${tracker.id}.mp3`, audioCodec: "MP3 (rendition of the MOD module)", audioMimeType: "audio/mpeg", fileFormat: "MOD module" });
    assert.deepEqual(await fields(plain.id), { audioUrl: `/media/audio/${plain.id}.mp3`, audioCodec: "MP3", audioMimeType: "audio/mpeg", fileFormat: "MP3" });

    // Two requests at once share one ffmpeg run; the rendition is a real MP3 as long as the module.
    const [first, second] = await Promise.all([fetch(`${base}/media/audio/${tracker.id}.mp3`), fetch(`${base}/media/audio/${tracker.id}.mp3`)]);
    assert.equal(first.status, 200, await first.clone().text().then((t) => t.slice(0, 200)));
    assert.equal(first.headers.get("content-type"), "audio/mpeg");
    const bytes = Buffer.from(await first.arrayBuffer());
    assert.deepEqual(Buffer.from(await second.arrayBuffer()), bytes);
    const saved = renditionPath(tracker.contentHash);
    const heard = await probeAudio(saved);
    assert.equal(heard.codec, "mp3");
    assert.ok(Math.abs(heard.durationSeconds - tracker.durationSec) < 1, `rendition ${heard.durationSeconds} s, module ${tracker.durationSec} s`);
    assert.equal(statSync(saved).size, bytes.length);
    const made = statSync(saved).mtimeMs;
    const part = await fetch(`${base}/media/audio/${tracker.id}`, { headers: { range: "bytes=100-199" } });
    assert.equal(part.status, 206, "a bare id serves the same, seekable");
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(100, 200));
    assert.equal(statSync(saved).mtimeMs, made, "made once: later requests read the kept file");

    const original = await fetch(`${base}/media/audio/${plain.id}.mp3`);
    assert.equal(original.headers.get("content-type"), "audio/mpeg");
    assert.equal(Number(original.headers.get("content-length")), statSync(mp3!).size, "a playable file is served as it is");
    await original.arrayBuffer();

    const wrong = await fetch(`${base}/media/audio/${tracker.id}.ogg`);
    assert.equal(wrong.status, 404);
    assert.match(await wrong.text(), /served as \.mp3, not \.ogg/);
    const failed = await fetch(`${base}/media/audio/${bad.id}.mp3`);
    assert.equal(failed.status, 500);
    assert.match(await failed.text(), new RegExp(`track ${bad.id}: ffmpeg could not make a rendition of .*broken\\.it`));
    assert.ok(!readdirSync(defaultRenditionDir()).some((name) => name.startsWith(bad.contentHash)), "no partial file is left behind");
  } finally {
    await api.close();
    await close();
    rmSync(dir, { recursive: true, force: true });
    for (const name of readdirSync(defaultRenditionDir())) if (name.startsWith(`rendition-${run}-`)) rmSync(join(defaultRenditionDir(), name));
  }
});
