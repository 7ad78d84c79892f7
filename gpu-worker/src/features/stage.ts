import { access } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import PQueue from "p-queue";
import type { Db, FeatureMode } from "@curator/db/client.js";
import type { JobHandle } from "../jobs/job.js";
import type { DecodePart, DecodedAudio } from "./decode.js";
import { decodeBatch } from "./batch-decode.js";
import { planBatches } from "./batch-plan.js";
import { DecodeError } from "./decode-error.js";
import { decodeNotePath, readDecodeNote, rememberRejection, writeDecodeNote } from "./decode-notes.js";
import { LOG_MEL_DEFAULTS, WINDOW_FRAMES, WINDOW_SAMPLES, logMelSpectrogram, logMelWindows } from "./logmel.js";
import { cachePath, hashParams, readCachedHeader, writeCachedMatrix, type CachedMatrix } from "./cache.js";
import { CHROMA_DEFAULTS, chromaStft } from "./chroma.js";
import { spectrogramPng } from "./spectrogram-png.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { dataPaths } from "../paths.js";

export interface FeaturesOptions {
  modes?: FeatureMode[];
  /** Decode processes at once. Default: one per core. */
  concurrency?: number;
  cacheDir?: string;
  pictureDir?: string;
  /** Only these tracks (a queue batch); default every track. */
  trackIds?: readonly number[];
  /** Called once per track this run computed or failed (not for skipped ones): the queue logs it per track. */
  onTrack?: (trackId: number, outcome: "computed" | "failed") => void;
}

export interface FeaturesResult {
  computed: number;
  skipped: number;
  failed: number;
}

/** Everything that changes the numbers in a cache file; any change makes every track recompute. */
export const FEATURE_PARAMS = Object.freeze({ ...LOG_MEL_DEFAULTS, windowFrames: WINDOW_FRAMES, excerptSamples: WINDOW_SAMPLES, resampler: "swr", clip: "unit" });
export const FEATURE_PARAMS_HASH = hashParams(FEATURE_PARAMS);

/**
 * The middle excerpt's chroma (for the outlier stage's cover matching) is cached beside its log-mel under this mode
 * and hash: it needs the linear-frequency spectrum, which the log-mel file does not keep, so it is computed here
 * from the same decoded samples rather than by a second decode.
 */
export const CHROMA_MODE = "chroma";
export const CHROMA_PARAMS_HASH = hashParams({ ...FEATURE_PARAMS, chroma: CHROMA_DEFAULTS });

/** The cached chroma matrix (frames × 12) of an excerpt's samples. */
export function excerptChroma(samples: Float32Array): CachedMatrix {
  const chroma = chromaStft(samples);
  return { data: chroma.data, rows: chroma.nFrames, cols: chroma.nChroma };
}

export function defaultCacheDir(): string {
  return dataPaths.features();
}

export function spectrogramPicturePath(contentHash: string, pictureDir = dataPaths.spectrograms()): string {
  return join(pictureDir, `${contentHash}.png`);
}

/**
 * `curator features`: every track's log-mel spectrograms (middle excerpt and whole-track windows), cached as
 * float32 files keyed by audio content and parameters, plus a picture of the middle excerpt. A track is done once
 * its cache row exists (written after the file's rename), so a killed run loses no finished track and a re-run
 * skips them, as it skips cache files a new database adopts (adoptCached); bad audio is reported by path with ffmpeg's reason and the batch goes on. Tracks are decoded several
 * to an ffmpeg process (batch-decode.ts), one process per core at a time.
 */
export async function runFeatures(db: Db, job: JobHandle<unknown>, options: FeaturesOptions = {}): Promise<FeaturesResult> {
  const modes = options.modes ?? ["MIDDLE", "WHOLE"];
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const tracks = await db.track.findMany({
    ...(options.trackIds ? { where: { id: { in: [...options.trackIds] } } } : {}),
    select: { id: true, audioPath: true, contentHash: true, durationSec: true, features: { where: { paramsHash: FEATURE_PARAMS_HASH }, select: { mode: true } } },
    orderBy: { id: "asc" },
  });
  const pending: { track: (typeof tracks)[number]; missing: FeatureMode[] }[] = [];
  const rejected: { track: (typeof tracks)[number]; reason: string }[] = [];
  for (const track of tracks) {
    const missing: FeatureMode[] = [];
    for (const mode of modes) {
      if (track.features.some((f) => f.mode === mode)) continue;
      if (!(await adoptCached(db, track, mode, cacheDir, options.pictureDir))) missing.push(mode);
    }
    if (missing.length === 0) continue;
    const notePath = decodeNotePath(cacheDir, track.contentHash, FEATURE_PARAMS_HASH);
    const note = await readDecodeNote(notePath);
    if (note?.rejected !== undefined) {
      rejected.push({ track, reason: `${note.rejected} (found by the run of ${note.at}; not decoded again: replace the file and ingest it, or delete ${notePath} to retry)` });
    } else pending.push({ track, missing });
  }
  const result: FeaturesResult = { computed: 0, skipped: tracks.length - pending.length - rejected.length, failed: 0 };
  let finished = result.skipped;
  await job.progress(finished, tracks.length);
  for (const { track, reason } of rejected) {
    result.failed++;
    await job.bad(track.audioPath, reason);
    options.onTrack?.(track.id, "failed");
    await job.progress(++finished, tracks.length, track.audioPath);
  }

  const workers = options.concurrency ?? availableParallelism();
  const queue = new PQueue({ concurrency: workers });
  const wholeSeconds = ({ track, missing }: (typeof pending)[number]) => (missing.includes("WHOLE") ? track.durationSec : 0);
  // An error outside a track's own try (the job cancelled, seen by progress) stops the stage: queued batches are dropped.
  let stopped: { error: unknown } | undefined;
  for (const batch of planBatches(pending, wholeSeconds, { workers })) {
    void queue.add(async () => {
      // Ingest stored ffprobe's duration; reusing it spares an ffprobe process per track.
      const decoded = await decodeBatch(batch.map(({ track, missing }) => ({ path: track.audioPath, durationSeconds: track.durationSec, parts: missing.map((m) => PART[m]) })));
      for (const [i, { track, missing }] of batch.entries()) {
        try {
          const audio = decoded[i]!;
          if (audio.status === "rejected") throw audio.reason;
          for (const mode of missing) await storeMode(db, track, mode, audio.value[PART[mode]], cacheDir, options.pictureDir);
          const warnings = [...new Set(missing.flatMap((mode) => audio.value[PART[mode]].warnings))];
          if (warnings.length > 0) {
            await writeDecodeNote(decodeNotePath(cacheDir, track.contentHash, FEATURE_PARAMS_HASH), { warnings });
            await job.message(`${track.audioPath}: ${warnings.join("; ")}`);
          }
          result.computed++;
          options.onTrack?.(track.id, "computed");
        } catch (err) {
          result.failed++;
          const reason = err instanceof DecodeError ? `${err.kind}: ${err.reason}` : err instanceof Error ? err.message : String(err);
          if (err instanceof DecodeError && rememberRejection(err)) {
            await writeDecodeNote(decodeNotePath(cacheDir, track.contentHash, FEATURE_PARAMS_HASH), { rejected: reason });
          }
          await job.bad(track.audioPath, reason);
          options.onTrack?.(track.id, "failed");
        }
        await job.progress(++finished, tracks.length, track.audioPath);
      }
    }).catch((error: unknown) => {
      stopped ??= { error };
      queue.clear();
    });
  }
  await queue.onIdle();
  if (stopped) throw stopped.error;
  return result;
}

/** The decode each feature mode is computed from. */
const PART: Record<FeatureMode, DecodePart> = { MIDDLE: "excerpt", WHOLE: "whole" };

type CacheTrack = { id: number; contentHash: string };

async function storeMode(db: Db, track: CacheTrack, mode: FeatureMode, audio: DecodedAudio, cacheDir: string, pictureDir?: string): Promise<void> {
  const path = cachePath(cacheDir, track.contentHash, mode.toLowerCase(), FEATURE_PARAMS_HASH);
  if (mode === "MIDDLE") {
    const mel = logMelSpectrogram(audio.samples);
    await writeCachedMatrix(path, { data: mel.data, rows: mel.nFrames, cols: mel.nMels }, audio.padded);
    await writeFileAtomic(spectrogramPicturePath(track.contentHash, pictureDir), spectrogramPng(mel));
    await writeCachedMatrix(cachePath(cacheDir, track.contentHash, CHROMA_MODE, CHROMA_PARAMS_HASH), excerptChroma(audio.samples));
    await recordFeature(db, track, mode, { path, frames: mel.nFrames, padded: audio.padded });
  } else {
    const parts = logMelWindows(audio.samples);
    const data = new Float32Array(parts.length * WINDOW_FRAMES * LOG_MEL_DEFAULTS.nMels);
    parts.forEach((p, i) => data.set(p.data, i * p.data.length));
    const frames = parts.length * WINDOW_FRAMES;
    await writeCachedMatrix(path, { data, rows: frames, cols: LOG_MEL_DEFAULTS.nMels }, audio.padded);
    await recordFeature(db, track, mode, { path, frames, padded: audio.padded });
  }
}

/** The cache row that makes a track's mode done; `frames` are whole 599-frame windows (one for MIDDLE). */
async function recordFeature(db: Db, track: CacheTrack, mode: FeatureMode, file: { path: string; frames: number; padded: boolean }): Promise<void> {
  const key = { trackId: track.id, mode, paramsHash: FEATURE_PARAMS_HASH };
  const row = { ...file, windows: file.frames / WINDOW_FRAMES };
  await db.featureCache.upsert({ where: { trackId_mode_paramsHash: key }, create: { ...key, ...row }, update: row });
}

/**
 * Records a feature file already in the cache instead of recomputing it: a new database over the same audio (a
 * fresh demo, a rebuilt catalog) finds the files of the same content and parameters by their path. Taken only if
 * the file is whole (size agrees with its header), has this mode's shape, records whether its audio was padded,
 * and, for the excerpt, its picture is there too; anything else is recomputed.
 */
async function adoptCached(db: Db, track: CacheTrack, mode: FeatureMode, cacheDir: string, pictureDir?: string): Promise<boolean> {
  const path = cachePath(cacheDir, track.contentHash, mode.toLowerCase(), FEATURE_PARAMS_HASH);
  const header = await readCachedHeader(path).catch(() => null);
  if (header === null || header.padded === null || header.cols !== LOG_MEL_DEFAULTS.nMels) return false;
  const shaped = mode === "MIDDLE" ? header.rows === WINDOW_FRAMES : header.rows > 0 && header.rows % WINDOW_FRAMES === 0;
  if (!shaped) return false;
  if (mode === "MIDDLE" && !(await access(spectrogramPicturePath(track.contentHash, pictureDir)).then(() => true, () => false))) return false;
  await recordFeature(db, track, mode, { path, frames: header.rows, padded: header.padded });
  return true;
}
