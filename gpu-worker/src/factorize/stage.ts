import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Db } from "@curator/db/client.js";
import { repoRoot } from "@curator/db/config.js";
import type { JobHandle } from "../jobs/job.js";
import { fitAls, type AlsOptions } from "./als.js";
import { buildInteractions } from "./sparse.js";
import { readAlsCheckpoint, writeAlsCheckpoint } from "./checkpoint.js";
import { removeAbandonedSets, writeFactorSet } from "../storage/factor-sets.js";

export interface FactorizeOptions extends Pick<AlsOptions, "factors" | "regularization" | "iterations" | "alpha" | "scale" | "epsilon" | "cgSteps" | "seed" | "threads" | "solver"> {
  checkpointDir?: string;
}

export interface FactorizeResume {
  checkpoint: string;
}

export interface FactorizeResult {
  factorSetId: number;
  users: number;
  tracks: number;
  coldTracks: number;
  listens: number;
}

/**
 * `curator factorize`: training listens (held-out ones excluded) → ALS → a CF factor set for every track (tracks
 * without training listens get zero factors: the cold-start set the convnet fills) and every user. Checkpoints
 * after each iteration so `--resume` continues a killed fit.
 */
export async function runFactorize(db: Db, job: JobHandle<FactorizeResume>, options: FactorizeOptions): Promise<FactorizeResult> {
  const [tracks, users, listens] = await Promise.all([
    db.track.findMany({ select: { id: true }, orderBy: { id: "asc" } }),
    db.user.findMany({ select: { id: true }, orderBy: { id: "asc" } }),
    db.listen.findMany({ where: { heldOut: false }, select: { userId: true, trackId: true, plays: true }, orderBy: [{ userId: "asc" }, { trackId: "asc" }] }),
  ]);
  if (listens.length === 0) throw new Error("no training listens stored: run `curator ingest --listens … ` or `--simulate` first");
  const trackRow = new Map(tracks.map((t, i) => [t.id, i]));
  const userRow = new Map(users.map((u, i) => [u.id, i]));
  const rows = Int32Array.from(listens, (l) => userRow.get(l.userId)!);
  const cols = Int32Array.from(listens, (l) => trackRow.get(l.trackId)!);
  const values = Float32Array.from(listens, (l) => l.plays);
  const interactions = buildInteractions(rows, cols, values, users.length, tracks.length);
  const fingerprint = createHash("sha256").update(Buffer.from(rows.buffer)).update(Buffer.from(cols.buffer)).update(Buffer.from(values.buffer)).digest("hex");

  const factors = options.factors ?? 40;
  const iterations = options.iterations ?? 15;
  const checkpoint = join(options.checkpointDir ?? join(repoRoot, "data", "checkpoints"), `factorize-job${job.id}.bin`);
  let initial: AlsOptions["initial"];
  let startIteration = 0;
  if (job.resumeFrom) {
    const saved = await readAlsCheckpoint(job.resumeFrom.checkpoint);
    if (saved.fingerprint !== fingerprint || saved.factors !== factors) {
      throw new Error(`cannot resume from ${job.resumeFrom.checkpoint}: the listens or --factors changed since it was written; start a new run`);
    }
    initial = { userFactors: saved.userFactors, itemFactors: saved.itemFactors };
    startIteration = saved.iterations;
    console.error(`factorize: resuming after iteration ${startIteration} of ${iterations}`);
  }

  const { checkpointDir: _, ...alsOptions } = options;
  const model = await fitAls(interactions, {
    ...alsOptions,
    factors,
    iterations,
    initial,
    startIteration,
    onIteration: async (report) => {
      await writeAlsCheckpoint(checkpoint, {
        iterations: report.iteration + 1,
        users: users.length,
        items: tracks.length,
        factors,
        fingerprint,
        userFactors: report.userFactors,
        itemFactors: report.itemFactors,
      });
      await job.checkpoint({ checkpoint });
      await job.progress(report.iteration + 1, iterations, `iteration ${report.iteration + 1} (${(report.elapsedMs / 1000).toFixed(2)} s)`);
    },
  });

  // Tracks never listened to in training are cold: their CF factors are zero, which the convnet's targets skip.
  const coldTracks = tracks.length - countNonEmptyRows(interactions.csc.indptr);
  await removeAbandonedSets(db, "CF");
  const factorSetId = await writeFactorSet(
    db,
    {
      kind: "CF",
      dims: factors,
      params: { ...alsOptions, factors, iterations, listens: listens.length },
      jobId: job.id,
      trackIds: tracks.map((t) => t.id),
      raw: model.itemFactors,
      users: { userIds: users.map((u) => u.id), raw: model.userFactors },
    },
    (done, total) => job.progress(done, total, "storing factors"),
  );
  return { factorSetId, users: users.length, tracks: tracks.length, coldTracks, listens: listens.length };
}

function countNonEmptyRows(indptr: Int32Array): number {
  let n = 0;
  for (let r = 0; r + 1 < indptr.length; r++) if (indptr[r + 1]! > indptr[r]!) n++;
  return n;
}
