// Writing flags without touching editors' work: a flag with a verdict (CONFIRMED/REJECTED) is never changed; an
// OPEN flag is updated to the new score and reason, or removed when the new score is below the threshold (the
// model no longer suspects the track); a new suspicion becomes an OPEN flag. Upserts key on (track, kind).
import type { Db, OutlierKind } from "@curator/db/client.js";

export interface FlagScore {
  trackId: number;
  kind: OutlierKind;
  score: number;
  reason: string;
}

export interface WriteFlagsResult {
  created: number;
  updated: number;
  removed: number;
  /** Flags with a verdict whose track and kind were scored again and left as they were. */
  kept: number;
}

const BATCH = 200;

/** Applies one run's scores for `kinds`: `flagged` decides which scores make a flag. */
export async function writeFlags(
  db: Db,
  scores: readonly FlagScore[],
  kinds: readonly OutlierKind[],
  flagged: (score: number) => boolean,
  jobId: number | null,
  onProgress?: (done: number, total: number) => Promise<void>,
): Promise<WriteFlagsResult> {
  const existing = await db.outlierFlag.findMany({ where: { kind: { in: [...kinds] } }, select: { id: true, trackId: true, kind: true, status: true } });
  const byKey = new Map(existing.map((f) => [`${f.trackId}:${f.kind}`, f]));
  const result: WriteFlagsResult = { created: 0, updated: 0, removed: 0, kept: 0 };
  for (let start = 0; start < scores.length; start += BATCH) {
    const batch = scores.slice(start, start + BATCH);
    await db.$transaction(async (tx) => {
      for (const s of batch) {
        const flag = byKey.get(`${s.trackId}:${s.kind}`);
        if (flag && flag.status !== "OPEN") {
          result.kept++;
          continue;
        }
        if (!flagged(s.score)) {
          // Conditional on OPEN: a verdict given while this run was going wins over the run.
          if (flag) result.removed += (await tx.outlierFlag.deleteMany({ where: { id: flag.id, status: "OPEN" } })).count;
          continue;
        }
        if (flag) {
          result.updated += (await tx.outlierFlag.updateMany({ where: { id: flag.id, status: "OPEN" }, data: { score: s.score, reason: s.reason, jobId } })).count;
        } else {
          await tx.outlierFlag.upsert({
            where: { trackId_kind: { trackId: s.trackId, kind: s.kind } },
            create: { trackId: s.trackId, kind: s.kind, score: s.score, reason: s.reason, jobId },
            update: {},
          });
          result.created++;
        }
      }
    }, { timeout: 120_000 });
    await onProgress?.(Math.min(start + BATCH, scores.length), scores.length);
  }
  return result;
}
