// The data the workbench pages show in the browser tests: a catalogue whose last album is cold (no listens), CF
// and predicted factor sets, listeners, map layouts clustered by album, flags, filters, a training job's loss
// curve, an evaluation run, API keys for an editor and an analyst, and real media: one short ogg every track
// plays, a spectrogram picture for the first track, weight pictures for the first-layer filters.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Db } from "@curator/db/client.js";
import { issueApiKey } from "@curator/db/api-keys.js";
import { vectorToBytes } from "@curator/db/factor-sets.js";
import { spectrogramPicturePath } from "@curator/worker/features/stage.js";
import { writeLayout } from "@curator/worker/map/store.js";
import { writeFactorSet } from "@curator/worker/storage/factor-sets.js";
import { seedCatalog, type SeededTrack } from "../support/seed.js";
import { gaussianRows } from "../support/indexed-api.js";

const DIMS = 8;
const ALBUMS = 4;
const PER_ALBUM = 6;

export interface Workbench {
  tracks: SeededTrack[];
  warm: number[];
  cold: number[];
  userIds: number[];
  /** CF map coordinates by track id. */
  cfMap: Map<number, { x: number; y: number }>;
  filterIds: number[];
  editorKey: string;
  analystKey: string;
  /** The track whose spectrogram picture was written (the others have none). */
  withSpectrogram: number;
  /** Deletes the generated audio and pictures. */
  removeMedia(): void;
}

const DENSE_NAMES = ["strings", "drums", null];

/** ffmpeg's lavfi sources make real files without test fixtures in git: a 3 s tone and pictures drawn from it. */
function ffmpeg(...args: string[]): void {
  execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...args]);
}

/**
 * The media server refuses paths that are not canonical, so the directory is resolved (tmpdir may be a link).
 * The spectrogram has to sit where the features stage writes it, under data/spectrograms, keyed by content hash:
 * a per-run hash keeps two test runs from sharing or deleting each other's picture.
 */
function generateMedia(trackId: number): { audio: string; weights: string; contentHash: string; remove(): void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "workbench-media-")));
  const audio = join(dir, "tone.ogg");
  const weights = join(dir, "weights.png");
  const contentHash = `e2e-${process.pid}-${Date.now()}-${trackId}`;
  const spectrogram = spectrogramPicturePath(contentHash);
  mkdirSync(join(spectrogram, ".."), { recursive: true });
  ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:beep_factor=4:duration=3", "-c:a", "libvorbis", audio);
  ffmpeg("-i", audio, "-lavfi", "showspectrumpic=s=300x128:legend=0:scale=log", spectrogram);
  ffmpeg("-f", "lavfi", "-i", "cellauto=s=8x128:rule=30", "-frames:v", "1", weights);
  return {
    audio,
    weights,
    contentHash,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
      rmSync(spectrogram, { force: true });
    },
  };
}

/** Album centres on a circle plus seeded noise: the map shows one cluster per album. */
function clusteredLayout(trackIds: readonly number[], albumOf: (id: number) => number, seed: number): Float32Array {
  const noise = gaussianRows(trackIds.length, 2, seed);
  const xy = new Float32Array(2 * trackIds.length);
  trackIds.forEach((id, i) => {
    const angle = (2 * Math.PI * albumOf(id)) / ALBUMS;
    xy[2 * i] = 4 * Math.cos(angle) + 0.6 * noise[2 * i]!;
    xy[2 * i + 1] = 4 * Math.sin(angle) + 0.6 * noise[2 * i + 1]!;
  });
  return xy;
}

export async function seedWorkbench(db: Db): Promise<Workbench> {
  const tracks = await seedCatalog(db, ALBUMS, PER_ALBUM);
  const ids = tracks.map((t) => t.id);
  const media = generateMedia(ids[0]!);
  await db.track.updateMany({ data: { audioPath: media.audio } });
  await db.track.update({ where: { id: ids[0]! }, data: { contentHash: media.contentHash } });
  const albumOf = (id: number) => Math.floor(ids.indexOf(id) / PER_ALBUM);
  const warm = ids.filter((id) => albumOf(id) < ALBUMS - 1);
  const cold = ids.filter((id) => albumOf(id) === ALBUMS - 1);

  const userIds: number[] = [];
  for (let u = 0; u < 4; u++) {
    const user = await db.user.create({ data: { externalId: `listener-${u}` } });
    userIds.push(user.id);
    await db.listen.createMany({ data: warm.slice(u * 3, u * 3 + 4).map((trackId, i) => ({ userId: user.id, trackId, plays: 2 + i })) });
  }
  // Album-shared directions plus noise, so neighbours in both spaces are mostly album mates.
  const albumDirections = gaussianRows(ALBUMS, DIMS, 21);
  const factors = (trackIds: readonly number[], seed: number) => {
    const noise = gaussianRows(trackIds.length, DIMS, seed);
    return Float32Array.from(noise, (v, k) => albumDirections[albumOf(trackIds[Math.floor(k / DIMS)]!) * DIMS + (k % DIMS)]! * 2 + v);
  };
  const cfSet = await writeFactorSet(db, {
    kind: "CF",
    dims: DIMS,
    params: { seeded: "e2e" },
    trackIds: warm,
    raw: factors(warm, 22),
    users: { userIds, raw: gaussianRows(userIds.length, DIMS, 23) },
  });
  const predictedSet = await writeFactorSet(db, { kind: "PREDICTED_MIDDLE", dims: DIMS, params: { seeded: "e2e" }, trackIds: ids, raw: factors(ids, 24) });
  const cfXy = clusteredLayout(warm, albumOf, 25);
  await writeLayout(db, { factorSetId: cfSet, kind: "CF", method: "umap", params: { seeded: "e2e" }, trackIds: warm, xy: cfXy });
  await writeLayout(db, { factorSetId: predictedSet, kind: "PREDICTED_MIDDLE", method: "umap", params: { seeded: "e2e" }, trackIds: ids, xy: clusteredLayout(ids, albumOf, 26) });
  const cfMap = new Map(warm.map((id, i) => [id, { x: cfXy[2 * i]!, y: cfXy[2 * i + 1]! }]));

  await db.outlierFlag.createMany({
    data: ids
      .filter((_, i) => i % PER_ALBUM === 0)
      .map((trackId) => ({ trackId, kind: "INTRO" as const, score: 2.5, reason: "shorter than 45 s and first on its album" })),
  });

  const run = await db.modelRun.create({ data: { preset: "e2e", params: "{}", status: "READY" } });
  const filterIds: number[] = [];
  for (const [layer, count] of [["CONV1", 6], ["DENSE", 3]] as const) {
    for (let index = 0; index < count; index++) {
      const filter = await db.filter.create({
        data: { modelRunId: run.id, layer, index, name: layer === "DENSE" ? DENSE_NAMES[index] : null, weightImage: layer === "CONV1" ? media.weights : null },
      });
      filterIds.push(filter.id);
      // MAX ranks the filter's "own" album first, MEAN the next one: the two rankings differ visibly.
      for (const mode of ["MAX", "MEAN"] as const) {
        const album = (index + (mode === "MEAN" ? 1 : 0)) % ALBUMS;
        const top = ids.filter((id) => albumOf(id) === album).slice(0, 5);
        await db.filterActivation.createMany({ data: top.map((trackId, rank) => ({ filterId: filter.id, mode, rank: rank + 1, trackId, value: 3 - rank * 0.4 })) });
      }
    }
  }

  // Album-shared activations, so "why similar" finds the units two album mates both excite.
  const conv = (seed: number) => Float32Array.from(gaussianRows(ids.length, 6, seed), Math.abs);
  const [convMax, convMean] = [conv(27), conv(28)];
  const dense = Float32Array.from(gaussianRows(ids.length, 3, 29), (v, k) => Math.abs(v) + (albumOf(ids[Math.floor(k / 3)]!) % 3 === k % 3 ? 2 : 0));
  await db.trackEmbedding.createMany({
    data: ids.map((trackId, i) => ({
      modelRunId: run.id,
      trackId,
      convMax: vectorToBytes(convMax.subarray(6 * i, 6 * i + 6)),
      convMean: vectorToBytes(convMean.subarray(6 * i, 6 * i + 6)),
      dense: vectorToBytes(dense.subarray(3 * i, 3 * i + 3)),
    })),
  });

  const curve = Array.from({ length: 12 }, (_, e) => ({ epoch: e + 1, trainLoss: 0.9 * Math.exp(-e / 4) + 0.1, valLoss: 0.8 * Math.exp(-e / 5) + 0.18, valAuc: 0.6 + 0.02 * e, lr: 0.001 }));
  await db.job.create({ data: { stage: "train", status: "SUCCEEDED", done: 12, total: 12, series: JSON.stringify(curve), message: "best epoch 12" } });
  const models = { ALS_CG: [0.21, 0.33, 0.12, 0.91], ALS_Cholesky: [0.22, 0.34, 0.12, 0.91], popularity: [0.09, 0.15, 0.05, 0.8], random: [0.01, 0.01, 0.0, 0.5] };
  const metrics: Record<string, number> = { users: 400, items: 24, trainListens: 1600 };
  for (const [model, values] of Object.entries(models)) {
    ["recall@10", "nDCG@10", "mAP@500", "AUC"].forEach((m, i) => (metrics[`${model}_${m}`] = values[i]!));
  }
  await db.evaluation.create({ data: { name: "als", metrics: JSON.stringify(metrics), tableText: "model         recall@10  AUC\nALS CG            0.210  0.910" } });
  // Shaped as eval/coldstart.ts and eval/outliers.ts store them: `<model>_<metric>` keys plus run-level figures.
  const coldstart = { users: 400, testTracks: 6, "MFCC_BoW_linear_mAP@500": 0.04, MFCC_BoW_linear_AUC: 0.61, "convnet_middle_30_s_mAP@500": 0.07, convnet_middle_30_s_AUC: 0.71, "upper_bound_WMF_on_all_listens_mAP@500": 0.2, upper_bound_WMF_on_all_listens_AUC: 0.93 };
  await db.evaluation.create({ data: { name: "coldstart", metrics: JSON.stringify(coldstart), tableText: "Cold-start recommendation (NIPS 2013 Table 1): 400 users rank 6 held-out tracks\n\nmodel  mAP@500  AUC" } });
  const outliers = { INTRO_classifier_precision: 0.8, INTRO_classifier_recall: 0.6, INTRO_classifier_f1: 0.69, COVER_classifier_precision: 0.7, COVER_classifier_recall: 0.5, COVER_classifier_f1: 0.58, top10_outlier_share_before: 0.12, top10_outlier_share_after: 0.03 };
  await db.evaluation.create({ data: { name: "outliers", metrics: JSON.stringify(outliers), tableText: "Outlier flags, grouped 5-fold CV on 24 labelled tracks" } });

  const editor = await issueApiKey(db, "e2e-editor", "EDITOR");
  const analyst = await issueApiKey(db, "e2e-analyst", "ANALYST");
  return { tracks, warm, cold, userIds, cfMap, filterIds, editorKey: editor.key, analystKey: analyst.key, withSpectrogram: ids[0]!, removeMedia: media.remove };
}
