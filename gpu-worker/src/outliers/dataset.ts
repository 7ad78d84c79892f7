// Everything the outlier model reads, loaded from the database and the feature cache into plain arrays: the
// catalogue facts, the log-mel signals, the chroma, the audio space (predicted factors), the spectrogram embedding (the
// convnet's last dense layer) and the CF factors, plus labels and editors' verdicts.
import { readFile } from "node:fs/promises";

import type { Db } from "@curator/db/client.js";

import { CHROMA_DEFAULTS } from "../features/chroma.js";
import { LOG_MEL_DEFAULTS } from "../features/logmel.js";
import { trackActivations } from "../model/activations.js";
import { loadTensorflow } from "../model/backend.js";
import { loadFeatureInputs } from "../model/feature-inputs.js";
import { loadRunModel } from "../model/run-record.js";
import { standardize } from "../model/standardize.js";
import { loadActiveFactorSet, type LoadedFactorSet } from "../storage/factor-sets.js";
import { audioSignals, type AudioSignals } from "./audio-signals.js";
import { loadChroma } from "./chroma-features.js";
import { CHROMA_BLOCK_FRAMES, chromaSummary } from "./chroma-match.js";
import { centredUnitRows, logMelStatistics } from "./embedding.js";
import { envelopeSignals } from "./envelope.js";
import { ENVELOPE_FRAME_RATE, loadEnvelopes } from "./envelope-features.js";
import { applyVerdicts, catalogueLabels, CURATED_LABELS_PATH, groupOf, parseCuratedLabels, type ModelKind, type Verdict } from "./labels.js";
import { albumPlace } from "./metadata-signals.js";
import { buildSignals, type SignalMatrix, type TrackFacts, type UnitSpace } from "./signals.js";
import type { Labelled } from "./model.js";

/** Editors' intro/outro/interlude labels for catalogue tracks, kept in the repository with a reason each. */
export { CURATED_LABELS_PATH };

export interface OutlierDataset {
  tracks: (TrackFacts & { origin: string; derivedFromId: number | null })[];
  signals: SignalMatrix;
  labelled: Labelled;
  /** Which vectors the atypicality and near-duplicate signals used. */
  sources: { audioSpace: string; embedding: string; cfFactorSetId: number | null };
}

export interface LoadOptions {
  /** Model run whose dense layer embeds the spectrograms. Default: the newest READY run; none: log-mel statistics. */
  modelRunId?: number;
  /** Where chroma and envelopes are cached beside the log-mel. Default the feature cache (data/features). */
  cacheDir?: string;
  /** The curated label file (labels.ts, parseCuratedLabels). Default CURATED_LABELS_PATH. */
  curatedLabelsPath?: string;
  onBad?: (item: string, reason: string) => Promise<void>;
}

function unitSpaceOf(set: LoadedFactorSet, indexOf: ReadonlyMap<number, number>, label: string): UnitSpace {
  const rowOf = new Map<number, number>();
  set.trackIds.forEach((id, r) => {
    const i = indexOf.get(id);
    if (i !== undefined && set.norms[r]! > 0) rowOf.set(i, r);
  });
  return { unit: set.unit, dims: set.dims, rowOf, label };
}

/**
 * The convnet's last dense layer on each track's middle excerpt, from the kept checkpoint of the run (the
 * newest READY one by default), unit-normalised; without a finished run, log-mel statistics (embedding.ts).
 */
async function spectrogramEmbedding(db: Db, frames: Map<number, Float32Array>, indexOf: ReadonlyMap<number, number>, modelRunId?: number): Promise<UnitSpace> {
  const ids = [...frames.keys()];
  const run = await db.modelRun.findFirst({
    where: modelRunId === undefined ? { status: "READY", checkpointPath: { not: null } } : { id: modelRunId },
    orderBy: { id: "desc" },
  });
  let rows: Float32Array;
  let dims: number;
  let label: string;
  if (run) {
    const { tf } = await loadTensorflow();
    const { model, params } = await loadRunModel(tf, run);
    try {
      const acts = await trackActivations(tf, model, params.model, ids.map((id) => standardize(frames.get(id)!, params.standardization)));
      [rows, dims, label] = [acts.hidden, acts.hiddenUnits, `convnet run #${run.id} dense-layer embedding`];
    } finally {
      model.dispose();
    }
  } else {
    dims = 2 * LOG_MEL_DEFAULTS.nMels;
    rows = new Float32Array(ids.length * dims);
    ids.forEach((id, r) => rows.set(logMelStatistics(frames.get(id)!, LOG_MEL_DEFAULTS.nMels), r * dims));
    label = "log-mel statistics";
  }
  const unit = centredUnitRows(rows, dims);
  return { unit, dims, rowOf: new Map(ids.map((id, r) => [indexOf.get(id)!, r])), label };
}

export async function loadOutlierDataset(db: Db, options: LoadOptions = {}): Promise<OutlierDataset> {
  const rows = await db.track.findMany({
    select: {
      id: true, externalId: true, title: true, artistId: true, albumId: true, position: true, durationSec: true, origin: true,
      derivedFromId: true, isShort: true, isSilent: true, audioPath: true, contentHash: true, artist: { select: { name: true } },
      flags: { where: { status: { in: ["CONFIRMED", "REJECTED"] } }, select: { kind: true, status: true } },
    },
    orderBy: { id: "asc" },
  });
  const tracks = rows.map((r) => ({
    id: r.id, title: r.title, artistId: r.artistId, artistName: r.artist.name, albumId: r.albumId, position: r.position,
    durationSec: r.durationSec, origin: r.origin, derivedFromId: r.derivedFromId, isShort: r.isShort,
  }));
  const indexOf = new Map(tracks.map((t, i) => [t.id, i]));
  const onBad = options.onBad ?? (async () => undefined);
  const { frames } = await loadFeatureInputs(db, "MIDDLE", LOG_MEL_DEFAULTS.nMels, onBad);
  const frameRate = LOG_MEL_DEFAULTS.sampleRate / LOG_MEL_DEFAULTS.hopLength;
  const audio: (AudioSignals | undefined)[] = tracks.map((t) => {
    const data = frames.get(t.id);
    return data && audioSignals({ data, nMels: LOG_MEL_DEFAULTS.nMels, logScale: LOG_MEL_DEFAULTS.logScale, frameRate });
  });
  if (frames.size === 0) throw new Error("no track has cached middle features: run `curator features --mode middle`");

  const embedding = await spectrogramEmbedding(db, frames, indexOf, options.modelRunId);
  const predicted = await loadActiveFactorSet(db, "PREDICTED_MIDDLE");
  const audioSpace = predicted ? unitSpaceOf(predicted, indexOf, "predicted audio factors") : { ...embedding, label: `audio embedding (${embedding.label})` };
  const cfSet = await loadActiveFactorSet(db, "CF");
  const cf = cfSet ? unitSpaceOf(cfSet, indexOf, "CF factors") : undefined;
  const withFrames = rows.filter((r) => frames.has(r.id));
  const chromaFrames = await loadChroma(withFrames, onBad, options.cacheDir);
  const envelopes = await loadEnvelopes(withFrames, onBad, options.cacheDir);
  const envelope = tracks.map((t) => {
    const levels = envelopes.get(t.id);
    return levels && envelopeSignals(levels, ENVELOPE_FRAME_RATE);
  });
  const chroma = tracks.map((t) => {
    const data = chromaFrames.get(t.id);
    return data && chromaSummary(data, CHROMA_DEFAULTS.nChroma, CHROMA_BLOCK_FRAMES);
  });
  const signals = buildSignals({ tracks, audio, envelope, audioSpace, embedding, chroma, ...(cf ? { cf } : {}) });
  const curatedPath = options.curatedLabelsPath ?? CURATED_LABELS_PATH;
  const curated = parseCuratedLabels(await readFile(curatedPath, "utf8"), curatedPath);

  const labelled: Labelled = { rows: [], labels: [], groups: [] };
  const byAlbum = new Map<number, number[]>();
  for (const t of tracks) if (t.albumId !== null && t.position !== null) (byAlbum.get(t.albumId) ?? byAlbum.set(t.albumId, []).get(t.albumId)!).push(t.position);
  rows.forEach((r, i) => {
    // Tracks without audio signals cannot be told apart by sound; they are scored, never learnt from.
    if (!audio[i]) return;
    const place = albumPlace(r.position, r.albumId === null ? [] : (byAlbum.get(r.albumId) ?? []));
    const labels = applyVerdicts(
      catalogueLabels({ ...r, first: place.first === 1, last: place.last === 1 }, curated.get(r.externalId)),
      r.flags.map((f) => ({ kind: f.kind, status: f.status }) as Verdict),
    );
    if (!labels) return;
    labelled.rows.push(i);
    labelled.labels.push(labels as Set<ModelKind>);
    labelled.groups.push(groupOf(r));
  });
  return {
    tracks,
    signals,
    labelled,
    sources: { audioSpace: audioSpace.label, embedding: embedding.label, cfFactorSetId: cfSet?.id ?? null },
  };
}
