// The convnet's inputs from the feature cache: each track's cached log-mel (middle excerpt or whole-track
// windows) for the current front-end parameters. A track whose file is missing, damaged or not finite is handed
// to `onBad` with the reason and left out, so one broken file never stops a stage.
import type { Db, FeatureMode } from "@curator/db/client.js";

import { readCachedMatrix } from "../features/cache.js";
import { decodeNotePath, readDecodeNote } from "../features/decode-notes.js";
import { defaultCacheDir, FEATURE_PARAMS_HASH } from "../features/stage.js";

export interface TrackLabel {
  id: number;
  externalId: string;
}

export function labelOf(track: TrackLabel): string {
  return `track ${track.id} (${track.externalId})`;
}

export interface LoadedInputs {
  /** Track id → frames × melBins log-mel, row-major. */
  frames: Map<number, Float32Array>;
  labels: Map<number, string>;
}

/** Cached log-mel of `trackIds` (every track when undefined) in `mode`. */
export async function loadFeatureInputs(
  db: Db,
  mode: FeatureMode,
  melBins: number,
  onBad: (item: string, reason: string) => Promise<void>,
  trackIds?: readonly number[],
  /** Where `curator features` kept its decode notes (decode-notes.ts): the data directory's feature cache. */
  cacheDir = defaultCacheDir(),
): Promise<LoadedInputs> {
  const tracks = await db.track.findMany({
    where: trackIds ? { id: { in: [...trackIds] } } : {},
    select: { id: true, externalId: true, contentHash: true, features: { where: { mode, paramsHash: FEATURE_PARAMS_HASH }, select: { path: true } } },
    orderBy: { id: "asc" },
  });
  const frames = new Map<number, Float32Array>();
  const labels = new Map(tracks.map((t) => [t.id, labelOf(t)]));
  for (const track of tracks) {
    const label = labelOf(track);
    const cached = track.features[0];
    if (!cached) {
      // Running features again does not help a file it rejected: say why it was rejected instead.
      const note = await readDecodeNote(decodeNotePath(cacheDir, track.contentHash, FEATURE_PARAMS_HASH));
      const why = note?.rejected !== undefined ? `its audio was rejected by \`curator features\`: ${note.rejected}` : "run `curator features`";
      await onBad(label, `no ${mode.toLowerCase()} log-mel in the feature cache: ${why}`);
      continue;
    }
    let matrix;
    try {
      matrix = await readCachedMatrix(cached.path, melBins);
    } catch (error) {
      await onBad(label, (error as Error).message);
      continue;
    }
    if (!matrix) {
      await onBad(label, `feature cache file ${cached.path} is gone: run \`curator features\` again`);
      continue;
    }
    if (!matrix.data.every(Number.isFinite)) {
      await onBad(label, `feature cache file ${cached.path} holds NaN or infinite values`);
      continue;
    }
    frames.set(track.id, matrix.data);
  }
  return { frames, labels };
}
