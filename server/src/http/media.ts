import { createReadStream } from "node:fs";
import { lstat, realpath, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Db } from "@curator/db/client.js";
import { spectrogramPicturePath } from "@curator/worker/features/stage.js";
import type { MediaSigner } from "./media-token.js";
import { playbackOf } from "../media/playable.js";
import { processRenditions, type Renditions } from "../media/rendition.js";

const PICTURE_TYPE = "image/png";

/**
 * /media routes: `/media/audio/<trackId>.<ext>` (the extension the API's audioUrl gives; a bare id serves the
 * same), `/media/spectrograms/<trackId>.png`, `/media/filters/<filterId>.png`. Files are found by id through the
 * database, never by a path from the request, so a request cannot name a file outside the catalogue; a stored path
 * that is a symbolic link, or that does not resolve to itself, is refused too. Audio a browser cannot decode
 * (tracker modules) is served as its rendition (see media/playable.ts), made once per content hash.
 * With a signer (API keys required), only URLs it signed are served. Returns false when the path is not a media route.
 */
export async function serveMedia(
  db: Db,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  signer?: MediaSigner,
  renditions: Renditions = processRenditions,
): Promise<boolean> {
  const match = /^\/media\/(audio|spectrograms|filters)\/([^/]+)$/.exec(url.pathname);
  if (!match) return false;
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, `method ${req.method} not allowed`), true;
  const refusal = signer?.refusal(url.pathname, url.searchParams.get("t"));
  if (refusal) return send(res, 401, refusal), true;
  const [, kind, name] = match as unknown as [string, "audio" | "spectrograms" | "filters", string];
  if (kind === "audio") return serveAudio(db, req, res, name, renditions), true;
  const id = name.endsWith(".png") ? parseId(name.slice(0, -4)) : undefined;
  if (id === undefined) return send(res, 400, `"${name}" is not a <id>.png`), true;
  const path =
    kind === "filters"
      ? (await db.filter.findUnique({ where: { id }, select: { weightImage: true } }))?.weightImage
      : await db.track.findUnique({ where: { id }, select: { contentHash: true } }).then((t) => t && spectrogramPicturePath(t.contentHash));
  if (!path) return send(res, 404, `no ${kind === "filters" ? "filter picture" : "spectrogram"} for id ${id}`), true;
  const checked = await regularFile(path);
  if (typeof checked === "string") return send(res, 404, checked), true;
  await sendFile(req, res, path, checked.size, PICTURE_TYPE);
  return true;
}

async function serveAudio(db: Db, req: IncomingMessage, res: ServerResponse, name: string, renditions: Renditions): Promise<void> {
  const m = /^([^.]+)(\.[a-z][a-z0-9]{0,4})?$/.exec(name);
  const id = m ? parseId(m[1]!) : undefined;
  if (id === undefined) return send(res, 400, `"${name}" is not a track id (optionally with its audio extension, as audioUrl gives it)`);
  const track = await db.track.findUnique({ where: { id }, select: { audioPath: true, contentHash: true, codec: true } });
  if (!track) return send(res, 404, `no audio for id ${id}`);
  const playback = playbackOf(track.audioPath, track.codec);
  const asked = m![2];
  if (asked && asked !== playback.extension) return send(res, 404, `track ${id} is served as ${playback.extension}, not ${asked}: take audioUrl from the API`);
  const source = await regularFile(track.audioPath);
  if (typeof source === "string") return send(res, 404, source);
  if (!playback.rendition) return sendFile(req, res, track.audioPath, source.size, playback.mimeType);
  let path: string;
  try {
    path = await renditions.get(track.audioPath, track.contentHash);
  } catch (err) {
    return send(res, 500, `track ${id}: ${err instanceof Error ? err.message : String(err)}`);
  }
  await sendFile(req, res, path, (await stat(path)).size, playback.mimeType);
}

function parseId(text: string): number | undefined {
  return /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : undefined;
}

/** The file's size, or why it is not served (missing, not a regular file, a symbolic link). */
async function regularFile(path: string): Promise<{ size: number } | string> {
  try {
    const link = await lstat(path);
    if (link.isSymbolicLink() || (await realpath(path)) !== path) return "file is a symbolic link or not at its canonical path: not served";
    const info = await stat(path);
    if (!info.isFile()) return "not a regular file";
    return { size: info.size };
  } catch {
    return "file is missing";
  }
}

/** Whole file, or one byte range (what audio elements ask for when seeking); 416 for a range outside the file. */
async function sendFile(req: IncomingMessage, res: ServerResponse, path: string, size: number, type: string): Promise<void> {
  res.setHeader("content-type", type);
  res.setHeader("accept-ranges", "bytes");
  res.setHeader("cache-control", "private, max-age=3600");
  const range = req.headers.range;
  let start = 0;
  let end = size - 1;
  if (range) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    const from = m?.[1] ? Number(m[1]) : undefined;
    const to = m?.[2] ? Number(m[2]) : undefined;
    if (!m || (from === undefined && to === undefined)) return send(res, 416, `unsupported range "${range}"`, size);
    if (from === undefined) start = Math.max(0, size - to!);
    else {
      start = from;
      end = to === undefined ? size - 1 : Math.min(to, size - 1);
    }
    if (start > end || start >= size) return send(res, 416, `range "${range}" is outside the file (${size} bytes)`, size);
    res.statusCode = 206;
    res.setHeader("content-range", `bytes ${start}-${end}/${size}`);
  } else res.statusCode = 200;
  res.setHeader("content-length", String(end - start + 1));
  if (req.method === "HEAD" || size === 0) return void res.end();
  await new Promise<void>((resolve, reject) => {
    createReadStream(path, { start, end }).on("error", reject).on("end", resolve).pipe(res);
  });
}

function send(res: ServerResponse, status: number, message: string, size?: number): void {
  res.statusCode = status;
  if (status === 416 && size !== undefined) res.setHeader("content-range", `bytes */${size}`);
  res.setHeader("content-type", "text/plain; charset=utf-8");
  res.end(`${message}\n`);
}
