import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { issueApiKey } from "@curator/db/api-keys.js";
import { freshDb } from "../support/db.js";
import { startApi } from "../support/api.js";

test("media route serves catalogue audio by id with ranges, and refuses traversal, symlinks and junk ids", async () => {
  const dir = mkdtempSync(join(tmpdir(), "curator-media-"));
  const { db, close } = await freshDb();
  const api = await startApi(db);
  const base = api.url.replace(/\/graphql$/, "");
  try {
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    const real = join(dir, "song.ogg");
    writeFileSync(real, bytes);
    const secret = join(dir, "secret.txt");
    writeFileSync(secret, "not music");
    const link = join(dir, "link.ogg");
    symlinkSync(secret, link);
    const artist = await db.artist.create({ data: { name: "A" } });
    const make = (externalId: string, audioPath: string) =>
      db.track.create({ data: { externalId, title: externalId, artistId: artist.id, durationSec: 60, audioPath, contentHash: externalId, channels: 2, sampleRate: 44100, codec: "vorbis" } });
    const good = await make("good", real);
    const linked = await make("linked", link);
    const missing = await make("missing", join(dir, "gone.ogg"));

    const whole = await fetch(`${base}/media/audio/${good.id}`);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get("content-type"), "audio/ogg");
    assert.deepEqual(Buffer.from(await whole.arrayBuffer()), bytes);

    const part = await fetch(`${base}/media/audio/${good.id}`, { headers: { range: "bytes=100-199" } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), "bytes 100-199/1000");
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(100, 200));
    const tail = await fetch(`${base}/media/audio/${good.id}`, { headers: { range: "bytes=-10" } });
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), bytes.subarray(990));
    const outside = await fetch(`${base}/media/audio/${good.id}`, { headers: { range: "bytes=5000-" } });
    assert.equal(outside.status, 416);

    assert.equal((await fetch(`${base}/media/audio/${linked.id}`)).status, 404, "a symlinked catalogue entry is not followed");
    assert.equal((await fetch(`${base}/media/audio/${missing.id}`)).status, 404);
    assert.equal((await fetch(`${base}/media/audio/999999`)).status, 404);
    for (const junk of ["..%2F..%2Fetc%2Fpasswd", "1.5", "-1", "abc", "0"]) {
      const res = await fetch(`${base}/media/audio/${junk}`);
      assert.equal(res.status, 400, junk);
    }
    const traversal = await fetch(`${base}/media/audio/../../etc/passwd`);
    assert.notEqual(traversal.status, 200);
    assert.equal((await fetch(`${base}/media/audio/${good.id}`, { method: "DELETE" })).status, 405);

    const fields = await api.query<{ track: { audioUrl: string; spectrogramUrl: string | null; excerptStartSec: number; excerptLengthSec: number } }>(
      `{ track(id: ${good.id}) { audioUrl spectrogramUrl excerptStartSec excerptLengthSec } }`,
    );
    assert.equal(fields.body.data?.track.audioUrl, `/media/audio/${good.id}.ogg`);
    assert.equal(fields.body.data?.track.spectrogramUrl, null);
    assert.ok(Math.abs(fields.body.data!.track.excerptStartSec - (60 - 614400 / 22050) / 2) < 1e-9);

    const health = await api.query<{ health: { ok: boolean } }>("{ health { ok } }");
    assert.equal(health.body.data?.health.ok, true, "the server keeps serving");
  } finally {
    await api.close();
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("with API keys required, media is served only through the signed URLs the API hands out", async () => {
  const dir = mkdtempSync(join(tmpdir(), "curator-media-"));
  const { db, close } = await freshDb();
  const api = await startApi(db, { requireKeys: true });
  const base = api.url.replace(/\/graphql$/, "");
  try {
    const bytes = Buffer.from(Array.from({ length: 500 }, (_, i) => i % 249));
    writeFileSync(join(dir, "a.ogg"), bytes);
    writeFileSync(join(dir, "b.ogg"), Buffer.from("other track"));
    const artist = await db.artist.create({ data: { name: "A" } });
    const make = (externalId: string) =>
      db.track.create({ data: { externalId, title: externalId, artistId: artist.id, durationSec: 60, audioPath: join(dir, `${externalId}.ogg`), contentHash: externalId, channels: 2, sampleRate: 44100, codec: "vorbis" } });
    const [a, b] = [await make("a"), await make("b")];
    const { key } = await issueApiKey(db, "listener", "ANALYST");

    const res = await api.query<{ track: { audioUrl: string } }>(`{ track(id: ${a.id}) { audioUrl } }`, {}, key);
    const signed = res.body.data!.track.audioUrl;
    assert.match(signed, new RegExp(`^/media/audio/${a.id}\\.ogg\\?t=\\d+\\.[\\w-]{43}$`));
    const whole = await fetch(`${base}${signed}`);
    assert.equal(whole.status, 200, "no bearer header needed: an <audio> element can play it");
    assert.deepEqual(Buffer.from(await whole.arrayBuffer()), bytes);
    const part = await fetch(`${base}${signed}`, { headers: { range: "bytes=10-19" } });
    assert.equal(part.status, 206);

    const unsigned = await fetch(`${base}/media/audio/${a.id}`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(unsigned.status, 401);
    assert.match(await unsigned.text(), /signed URL/);
    const otherTrack = await fetch(`${base}${signed.replace(`/audio/${a.id}.ogg?`, `/audio/${b.id}.ogg?`)}`);
    assert.equal(otherTrack.status, 401, "a signature is bound to its path");
  } finally {
    await api.close();
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
});
