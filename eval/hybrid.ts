/**
 * `npm run eval -- hybrid`: do cold tracks enter listeners' lists on merit? Every listener with held-out listens
 * gets a top-k list (training listens left out, as `user.recommendations` does) from the active CF set and the active
 * PREDICTED_MIDDLE set, scored three ways: the older rule (unit prediction × the median warm norm), the set's
 * calibration onto the CF scale (what the API serves), and the calibration with the discovery dial at k/2. For each:
 * how many cold tracks a list holds, how many lists are all cold, and the held-out precision of the list's cold and
 * warm entries (a held-out listen is a play the factorisation never saw: the simulator's cold-start truth). Warm
 * candidates are tracks the listener never played in training, so their hits can only come from held-out listens of
 * warm tracks. Needs: `curator factorize`, `train`, `predict`.
 */
import { openDb } from "@curator/db/client.js";
import { loadActiveFactorSet } from "@curator/worker/storage/factor-sets.js";
import { recommend, type RecommendInput } from "@curator/server/similarity/recommend.js";
import { medianOfPositive } from "@curator/server/similarity/vectors.js";
import { report, type Row } from "./support/report.js";

const K = Number(process.env.HYBRID_EVAL_K ?? 10);

const db = openDb();
try {
  const cf = await loadActiveFactorSet(db, "CF", true);
  const predicted = await loadActiveFactorSet(db, "PREDICTED_MIDDLE");
  if (!cf?.users || !predicted) throw new Error("needs an active CF set with users and a PREDICTED_MIDDLE set: run `curator factorize`, `train` and `predict`");
  const setParams = JSON.parse((await db.factorSet.findUniqueOrThrow({ where: { id: predicted.id } })).params) as {
    backing?: string;
    calibration?: { slope: number; intercept: number; pairs: number; correlation: number };
  };
  const k = cf.dims;
  const listens = await db.listen.findMany({ select: { userId: true, trackId: true, heldOut: true } });
  const training = new Map<number, Set<number>>();
  const heldOut = new Map<number, Set<number>>();
  for (const l of listens) {
    const into = l.heldOut ? heldOut : training;
    (into.get(l.userId) ?? into.set(l.userId, new Set()).get(l.userId)!).add(l.trackId);
  }
  const space = { trackIds: cf.trackIds, raw: cf.raw, norms: cf.norms, rowOfTrack: new Map(Array.from(cf.trackIds, (id, i) => [id, i])) };
  const users = Array.from(cf.users.userIds).flatMap((id, row) => (heldOut.has(id) ? [{ id, row }] : []));
  const variants: { name: string; options: Partial<RecommendInput> }[] = [
    { name: "unit prediction × median warm norm (before)", options: {} },
    ...(setParams.calibration ? [{ name: "calibrated onto the CF scale", options: { calibration: setParams.calibration } }] : []),
    ...(setParams.calibration ? [{ name: `calibrated, dial maxCold = ${Math.floor(K / 2)}`, options: { calibration: setParams.calibration, maxCold: Math.floor(K / 2) } }] : []),
  ];
  const rows: Row[] = [];
  const metrics: Record<string, number | string> = { users: users.length, k: K, backing: setParams.backing ?? "convnet" };
  for (const variant of variants) {
    let cold = 0;
    let allCold = 0;
    let coldHits = 0;
    let warm = 0;
    let warmHits = 0;
    for (const user of users) {
      const list = recommend({
        user: cf.users.raw.subarray(user.row * k, (user.row + 1) * k),
        cf: space,
        predicted: { trackIds: predicted.trackIds, unit: predicted.unit, norms: predicted.norms },
        coldScale: medianOfPositive(cf.norms),
        exclude: training.get(user.id) ?? new Set(),
        select: "all",
        k: K,
        ...variant.options,
      });
      const held = heldOut.get(user.id)!;
      for (const r of list) {
        if (r.cold) {
          cold++;
          if (held.has(r.trackId)) coldHits++;
        } else {
          warm++;
          if (held.has(r.trackId)) warmHits++;
        }
      }
      if (list.length > 0 && list.every((r) => r.cold)) allCold++;
    }
    const row = {
      scoring: variant.name,
      "cold per list": cold / users.length,
      "all-cold lists": allCold / users.length,
      "cold precision": cold > 0 ? coldHits / cold : 0,
      "warm precision": warm > 0 ? warmHits / warm : 0,
      [`precision@${K}`]: (coldHits + warmHits) / (users.length * K),
    };
    rows.push(row);
    const key = variant.name.replace(/[^A-Za-z0-9]+/g, "_").replace(/_$/, "");
    for (const [name, value] of Object.entries(row)) if (typeof value === "number") metrics[`${key}_${name.replace(/[^A-Za-z0-9@]+/g, "_")}`] = value;
  }
  if (setParams.calibration) Object.assign(metrics, { calibration_slope: setParams.calibration.slope, calibration_intercept: setParams.calibration.intercept, calibration_correlation: setParams.calibration.correlation });
  await report(db, "hybrid", `Hybrid recommendations: ${users.length} listeners with held-out listens, top ${K}, audio model: ${setParams.backing ?? "convnet"}`, rows, metrics);
} finally {
  await db.$disconnect();
}
