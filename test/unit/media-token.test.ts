import { test } from "node:test";
import assert from "node:assert/strict";
import { MediaSigner } from "@curator/server/http/media-token.js";

test("signed media URLs admit their own path until they expire, and nothing else", () => {
  let now = Date.UTC(2025, 0, 1);
  const signer = new MediaSigner("secret", 60, () => now);
  const signed = new URL(signer.url("/media/audio/7"), "http://x");
  const token = signed.searchParams.get("t");
  assert.equal(signed.pathname, "/media/audio/7");
  assert.equal(signer.refusal("/media/audio/7", token), null);
  assert.match(signer.refusal("/media/audio/8", token) ?? "", /signature does not match/);
  assert.match(new MediaSigner("other key", 60, () => now).refusal("/media/audio/7", token) ?? "", /signature does not match/);
  const [expiry, mac] = token!.split(".");
  assert.match(signer.refusal("/media/audio/7", `${Number(expiry) + 3600}.${mac}`) ?? "", /signature does not match/, "a later expiry is not the signed one");
  for (const bad of [null, "", "abc", `${expiry}.short`, `${expiry}`]) assert.match(signer.refusal("/media/audio/7", bad) ?? "", /needs a signed URL/);
  now += 61_000;
  assert.match(signer.refusal("/media/audio/7", token) ?? "", /expired/);
});
