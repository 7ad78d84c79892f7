import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Db } from "@curator/db/client.js";
import type { JobHandle } from "../jobs/job.js";
import { fitAls, type AlsOptions } from "./als.js";
import { ALS_DEFAULTS } from "./defaults.js";
import { buildInteractions } from "./sparse.js";
import { readAlsCheckpoint, writeAlsCheckpoint } from "./checkpoint.js";
import { removeAbandonedSets, writeFactorSet } from "../storage/factor-sets.js";
import { dataPaths } from "../paths.js";

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
  const [tracks, users] = await Promise.all([
    db.track.findMany({ select: { id: true }, orderBy: { id: "asc" } }),
    db.user.findMany({ select: { id: true }, orderBy: { id: "asc" } }),
  ]);
  const { rows, cols, values } = await loadTrainingListens(db, tracks.map((t) => t.id), users.map((u) => u.id));
  if (values.length === 0) throw new Error("no training listens stored: run `curator ingest --listens … ` or `--simulate` first");
  const interactions = buildInteractions(rows, cols, values, users.length, tracks.length);
  const fingerprint = createHash("sha256").update(Buffer.from(rows.buffer)).update(Buffer.from(cols.buffer)).update(Buffer.from(values.buffer)).digest("hex");

  const factors = options.factors ?? ALS_DEFAULTS.factors;
  const iterations = options.iterations ?? ALS_DEFAULTS.iterations;
  const checkpoint = join(options.checkpointDir ?? dataPaths.checkpoints(), `factorize-job${job.id}.bin`);
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
      params: { ...alsOptions, factors, iterations, listens: values.length },
      jobId: job.id,
      trackIds: tracks.map((t) => t.id),
      raw: model.itemFactors,
      users: { userIds: users.map((u) => u.id), raw: model.userFactors },
    },
    (done, total) => job.progress(done, total, "storing factors"),
  );
  return { factorSetId, users: users.length, tracks: tracks.length, coldTracks, listens: values.length };
}

/** Users per listens query: pages keep a 100M-listen table out of memory as objects. */
const USER_PAGE = 20_000;

/** Training listens as COO arrays in (user row, track row) order, read page by page of users. */
async function loadTrainingListens(db: Db, trackIds: readonly number[], userIds: readonly number[]) {
  const total = await db.listen.count({ where: { heldOut: false } });
  const trackRow = new Map(trackIds.map((id, i) => [id, i]));
  const rows = new Int32Array(total);
  const cols = new Int32Array(total);
  const values = new Float32Array(total);
  let n = 0;
  for (let start = 0; start < userIds.length; start += USER_PAGE) {
    const first = userIds[start]!;
    const last = userIds[Math.min(userIds.length, start + USER_PAGE) - 1]!;
    const page = await db.listen.findMany({
      where: { heldOut: false, userId: { gte: first, lte: last } },
      select: { userId: true, trackId: true, plays: true },
      orderBy: [{ userId: "asc" }, { trackId: "asc" }],
    });
    // userIds is sorted, so a page's users are the rows start, start + 1, … in id order.
    let row = start;
    for (const l of page) {
      while (userIds[row] !== l.userId) row++;
      if (n >= total) throw new Error("listens changed while factorize read them; run it again");
      rows[n] = row;
      cols[n] = trackRow.get(l.trackId)!;
      values[n] = l.plays;
      n++;
    }
  }
  if (n !== total) throw new Error("listens changed while factorize read them; run it again");
  return { rows, cols, values };
}

function countNonEmptyRows(indptr: Int32Array): number {
  let n = 0;
  for (let r = 0; r + 1 < indptr.length; r++) if (indptr[r + 1]! > indptr[r]!) n++;
  return n;
}
