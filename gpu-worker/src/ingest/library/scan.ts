import { resolve, sep } from "node:path";
import PQueue from "p-queue";
import type { Db } from "@curator/db/client.js";
import type { BadItem, OnProgress } from "../types.js";
import { walkLibrary, fileStamp, type WalkedFile } from "./walk.js";
import { describeLibraryFile, type LibraryFile } from "./describe.js";
import { fingerprintFromBytes, fingerprintSimilarity, SAME_RECORDING_SIMILARITY } from "./fingerprint.js";
import { addLibraryTrack, markLibraryTracks, updateLibraryTrack } from "../store/library-store.js";

export interface ScanOptions {
  /** The music folder; tracks stored from it are those whose path lies under it. */
  root: string;
  onProgress?: OnProgress;
  concurrency?: number;
}

/** A file recognised as a recording already in the catalogue: reported, not stored as a second track. */
export interface SameRecording {
  path: string;
  /** The stored track's file. */
  sameAs: string;
  by: "audio" | "mbid" | "fingerprint";
  similarity?: number;
}

export interface ScanResult {
  files: number;
  added: number;
  changed: number;
  moved: number;
  missing: number;
  returned: number;
  unchanged: number;
  sameRecording: SameRecording[];
  /** Files and folders that could not be used, and files stored with a warning (unreadable tags…). */
  bad: BadItem[];
}

interface Stored {
  id: number;
  externalId: string;
  audioPath: string;
  fileStamp: string | null;
  audioHash: string | null;
  recordingMbid: string | null;
  missingSince: Date | null;
  durationSec: number;
  fingerprint: Uint32Array | null;
}

/** Longest a best-of edit may differ from the album version and still be fingerprint-compared (fades, gaps). */
const DURATION_WINDOW_SEC = 15;

/**
 * Scans a music folder into the catalogue, incrementally: files whose size and mtime are unchanged are not read
 * again; a changed file re-describes its track; a new file whose audio (packet hash, recording MBID or fingerprint)
 * belongs to a track whose file is gone is a move, and keeps that track; a file whose recording is already present
 * elsewhere in the folder is reported, not stored twice; tracks whose files are gone are marked missing, with their
 * listens kept. Every change is one transaction with its TrackFileEvent, so a scan killed midway resumes where it
 * stopped when run again.
 */
export async function scanLibrary(db: Db, opts: ScanOptions): Promise<ScanResult> {
  const root = resolve(opts.root);
  const walked = await walkLibrary(root);
  const result: ScanResult = { files: walked.files.length, added: 0, changed: 0, moved: 0, missing: 0, returned: 0, unchanged: 0, sameRecording: [], bad: [...walked.bad] };
  const stored: Stored[] = (
    await db.track.findMany({
      where: { origin: "library", audioPath: { startsWith: root + sep } },
      select: { id: true, externalId: true, audioPath: true, fileStamp: true, audioHash: true, recordingMbid: true, missingSince: true, durationSec: true, fingerprint: true },
    })
  ).map((t) => ({ ...t, fingerprint: t.fingerprint ? fingerprintFromBytes(t.fingerprint) : null }));
  const byPath = new Map(stored.map((t) => [t.audioPath, t]));
  const present = new Set(walked.files.map((f) => f.path));

  const toRead: WalkedFile[] = [];
  const returned: Stored[] = [];
  for (const f of walked.files) {
    const t = byPath.get(f.path);
    if (t && t.fileStamp === fileStamp(f)) {
      if (t.missingSince) returned.push(t);
      else result.unchanged++;
    } else toRead.push(f);
  }
  await markLibraryTracks(db, returned, "returned");
  result.returned = returned.length;
  for (const t of returned) t.missingSince = null;

  const described: LibraryFile[] = [];
  const queue = new PQueue({ concurrency: opts.concurrency ?? 2 });
  let done = 0;
  await queue.addAll(
    toRead.map((f) => async () => {
      try {
        const file = await describeLibraryFile(f);
        described.push(file);
        for (const w of file.warnings) result.bad.push({ item: f.path, reason: `stored, but ${w}` });
      } catch (e) {
        result.bad.push({ item: f.path, reason: reasonOf(e) });
      }
      opts.onProgress?.(++done, toRead.length, f.path);
    }),
  );
  described.sort((a, b) => (a.path < b.path ? -1 : 1));

  // One file's failed write (a constraint another file's row holds) is reported; the scan goes on.
  const attempt = async (f: LibraryFile, write: () => Promise<unknown>): Promise<boolean> => {
    try {
      await write();
      return true;
    } catch (e) {
      result.bad.push({ item: f.path, reason: `not stored: ${(e as Error).message.split("\n").slice(-1)[0]}` });
      return false;
    }
  };
  // Stored tracks are gone when their path is not in the folder any more; a new file may claim one as a move.
  const isGone = (t: Stored) => !present.has(t.audioPath) || t.missingSince !== null;
  const claimed = new Set<number>();
  const claim = (t: Stored, f: LibraryFile) => {
    claimed.add(t.id);
    Object.assign(t, { audioPath: f.path, audioHash: f.audioHash, recordingMbid: f.recordingMbid, fingerprint: f.fingerprint, durationSec: f.durationSec, missingSince: null });
  };
  // Changed files at a stored path first, so their new hashes are known before new files are matched.
  for (const f of described) {
    const t = byPath.get(f.path);
    if (!t) continue;
    const audioChanged = t.audioHash !== f.audioHash;
    if (!(await attempt(f, () => updateLibraryTrack(db, t.id, f, t.missingSince ? "returned" : "changed", audioChanged)))) continue;
    if (t.missingSince) result.returned++;
    else result.changed++;
    claim(t, f);
  }
  for (const f of described) {
    if (byPath.has(f.path)) continue;
    const same = sameRecording(stored, f);
    if (same && isGone(same.track) && !claimed.has(same.track.id)) {
      if (!(await attempt(f, () => updateLibraryTrack(db, same.track.id, f, "moved", same.track.audioHash !== f.audioHash)))) continue;
      result.moved++;
      claim(same.track, f);
      continue;
    }
    if (same) {
      result.sameRecording.push({ path: f.path, sameAs: same.track.audioPath, by: same.by, similarity: same.similarity });
      result.bad.push({ item: f.path, reason: `same recording as ${same.track.audioPath} (${describeSame(same)}): not stored twice` });
      continue;
    }
    const clash = await db.track.findFirst({ where: { OR: [{ contentHash: f.contentHash }, { audioHash: f.audioHash }] }, select: { externalId: true, audioPath: true } });
    if (clash) {
      result.bad.push({ item: f.path, reason: `same audio as stored track "${clash.externalId}" (${clash.audioPath}): not stored twice` });
      continue;
    }
    let id = 0;
    if (!(await attempt(f, async () => void (id = await addLibraryTrack(db, f))))) continue;
    stored.push({ id, externalId: "", audioPath: f.path, fileStamp: f.stamp, audioHash: f.audioHash, recordingMbid: f.recordingMbid, missingSince: null, durationSec: f.durationSec, fingerprint: f.fingerprint });
    claimed.add(id);
    result.added++;
  }
  const gone = stored.filter((t) => !claimed.has(t.id) && !present.has(t.audioPath) && t.missingSince === null);
  await markLibraryTracks(db, gone, "missing");
  result.missing = gone.length;
  return result;
}

/** The stored track holding the file's recording: same audio packets, same recording MBID, or a close fingerprint. */
function sameRecording(stored: readonly Stored[], f: LibraryFile): { track: Stored; by: SameRecording["by"]; similarity?: number } | undefined {
  const byAudio = stored.find((t) => t.audioHash === f.audioHash);
  if (byAudio) return { track: byAudio, by: "audio" };
  const byMbid = f.recordingMbid ? stored.find((t) => t.recordingMbid === f.recordingMbid) : undefined;
  if (byMbid) return { track: byMbid, by: "mbid" };
  if (!f.fingerprint) return undefined;
  let best: { track: Stored; similarity: number } | undefined;
  for (const t of stored) {
    if (!t.fingerprint || Math.abs(t.durationSec - f.durationSec) > DURATION_WINDOW_SEC) continue;
    const similarity = fingerprintSimilarity(f.fingerprint, t.fingerprint);
    if (similarity >= SAME_RECORDING_SIMILARITY && similarity > (best?.similarity ?? 0)) best = { track: t, similarity };
  }
  return best && { ...best, by: "fingerprint" };
}

function describeSame(s: { by: SameRecording["by"]; similarity?: number }): string {
  return s.by === "audio" ? "identical audio" : s.by === "mbid" ? "same MusicBrainz recording id" : `acoustic fingerprint ${(100 * s.similarity!).toFixed(1)}% alike`;
}

function reasonOf(e: unknown): string {
  const err = e as Error & { kind?: string; reason?: string };
  return err.kind && err.reason ? `${err.kind}: ${err.reason}` : err.message;
}
