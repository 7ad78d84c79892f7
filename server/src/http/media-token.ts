import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { setting } from "@curator/db/settings.js";

/** How long a signed media URL works: enough to load a page and listen through its tracks. */
export const MEDIA_URL_TTL_SEC = 6 * 3600;

/**
 * Signed, expiring media URLs for when API keys are required: an <audio> or <img> element cannot send a bearer
 * header, so the API hands out `/media/…?t=<expiry>.<HMAC-SHA256 of path and expiry>` and the media route checks
 * it. The key is CURATOR_MEDIA_SECRET when several API processes must accept each other's URLs, else random per
 * process (a restart invalidates the URLs it gave out; clients fetch them again with their key).
 */
export class MediaSigner {
  private readonly key: Buffer;

  constructor(
    key: string | Buffer = setting("CURATOR_MEDIA_SECRET") ?? randomBytes(32),
    private readonly ttlSec = MEDIA_URL_TTL_SEC,
    private readonly now: () => number = Date.now,
  ) {
    this.key = Buffer.from(key);
  }

  url(path: string): string {
    const expiry = Math.floor(this.now() / 1000) + this.ttlSec;
    return `${path}?t=${expiry}.${this.mac(path, expiry)}`;
  }

  /** Why `token` does not admit a request to `path`, or null when it does. */
  refusal(path: string, token: string | null): string | null {
    const m = token ? /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token) : null;
    if (!m) return "media needs a signed URL when API keys are required: take audioUrl, spectrogramUrl or weightImageUrl from the API";
    const expiry = Number(m[1]);
    if (!timingSafeEqual(Buffer.from(this.mac(path, expiry)), Buffer.from(m[2]!))) return "the media URL's signature does not match its path";
    if (expiry * 1000 < this.now()) return "the media URL has expired: ask the API for the field again";
    return null;
  }

  private mac(path: string, expiry: number): string {
    return createHmac("sha256", this.key).update(`${path}\n${expiry}`).digest("base64url");
  }
}
