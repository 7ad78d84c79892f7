/**
 * `npm run eval -- als`: how well weighted matrix factorisation predicts held-out listens, as in van den Oord et al.
 * (2013): per user, 20% of the training listens are held out; ALS is fitted on the rest; every item the user did
 * not train on is ranked, and recall@10, nDCG@10, mAP@500 and AUC are reported for ALS (CG and exact Cholesky)
 * next to popularity and random rankings. Data: the listens in DATABASE_URL (run `npm run demo` first).
 */
import { openDb } from "@curator/db/client.js";
import { buildInteractions } from "@curator/worker/factorize/sparse.js";
import { fitAls, type AlsSolver } from "@curator/worker/factorize/als.js";
import { meanAuc, meanAveragePrecisionAtK, meanNdcgAtK, meanRecallAtK } from "@curator/worker/evaluation/metrics.js";
import { rankItems, scoreItems } from "@curator/worker/evaluation/ranking.js";
import { mulberry32 } from "@curator/worker/util/random.js";
import { report, type Row } from "./support/report.js";

const HOLDOUT = 0.2;
const MIN_LISTENS = 5;
const FACTORS = 40;

const db = openDb();
try {
  const listens = await db.listen.findMany({ where: { heldOut: false }, select: { userId: true, trackId: true, plays: true }, orderBy: [{ userId: "asc" }, { trackId: "asc" }] });
  if (listens.length === 0) throw new Error("no listens in the database: run `npm run demo` (or `npx curator ingest --simulate`) first");
  const trackIndex = new Map<number, number>();
  const userIndex = new Map<number, number>();
  for (const l of listens) {
    if (!trackIndex.has(l.trackId)) trackIndex.set(l.trackId, trackIndex.size);
    if (!userIndex.has(l.userId)) userIndex.set(l.userId, userIndex.size);
  }
  const nItems = trackIndex.size;
  const nUsers = userIndex.size;

  // Seeded per-user split: each user with enough listens keeps 80% for training and 20% as the relevant set.
  const random = mulberry32(2013);
  const byUser = new Map<number, { item: number; plays: number }[]>();
  for (const l of listens) {
    const u = userIndex.get(l.userId)!;
    (byUser.get(u) ?? byUser.set(u, []).get(u)!).push({ item: trackIndex.get(l.trackId)!, plays: l.plays });
  }
  const train: { u: number; i: number; plays: number }[] = [];
  const relevant: Set<number>[] = Array.from({ length: nUsers }, () => new Set());
  const trained: Set<number>[] = Array.from({ length: nUsers }, () => new Set());
  for (const [u, items] of byUser) {
    const order = items.map((x) => ({ x, r: random() })).sort((a, b) => a.r - b.r).map((e) => e.x);
    const nTest = items.length >= MIN_LISTENS ? Math.max(1, Math.round(HOLDOUT * items.length)) : 0;
    order.forEach((x, j) => {
      if (j < nTest) relevant[u]!.add(x.item);
      else {
        train.push({ u, i: x.item, plays: x.plays });
        trained[u]!.add(x.item);
      }
    });
  }
  const interactions = buildInteractions(
    Int32Array.from(train, (t) => t.u),
    Int32Array.from(train, (t) => t.i),
    Float32Array.from(train, (t) => t.plays),
    nUsers,
    nItems,
  );
  const testUsers = relevant.map((r, u) => (r.size > 0 ? u : -1)).filter((u) => u >= 0);

  const evaluate = (name: string, scoresFor: (u: number, out: Float32Array) => Float32Array): Row => {
    const scores = new Float32Array(nItems);
    const rankings: number[][] = [];
    const allScores: Float32Array[] = [];
    const rel: Set<number>[] = [];
    const excl: Set<number>[] = [];
    for (const u of testUsers) {
      const s = Float32Array.from(scoresFor(u, scores));
      rankings.push(rankItems(s, trained[u]!, 500));
      allScores.push(s);
      rel.push(relevant[u]!);
      excl.push(trained[u]!);
    }
    return {
      model: name,
      "recall@10": meanRecallAtK(rankings, rel, 10).value,
      "nDCG@10": meanNdcgAtK(rankings, rel, 10).value,
      "mAP@500": meanAveragePrecisionAtK(rankings, rel, 500).value,
      AUC: meanAuc(allScores, rel, excl).value,
    };
  };

  const rows: Row[] = [];
  for (const solver of ["cg", "cholesky"] as AlsSolver[]) {
    const started = performance.now();
    const model = await fitAls(interactions, { factors: FACTORS, iterations: 15, solver, seed: 1 });
    const seconds = (performance.now() - started) / 1000;
    const row = evaluate(`ALS ${solver}`, (u, out) => scoreItems(model.userFactors.subarray(u * FACTORS, (u + 1) * FACTORS), model.itemFactors, FACTORS, out));
    rows.push({ ...row, "fit s": seconds });
  }
  const popularity = new Float32Array(nItems);
  for (const t of train) popularity[t.i]! += 1;
  rows.push({ ...evaluate("popularity", (_u, out) => (out.set(popularity), out)), "fit s": 0 });
  const noise = mulberry32(7);
  rows.push({ ...evaluate("random", (_u, out) => out.map(() => noise())), "fit s": 0 });

  const cg = rows[0]!;
  const exact = rows[1]!;
  const metrics = {
    users: testUsers.length,
    items: nItems,
    trainListens: train.length,
    ...Object.fromEntries(rows.flatMap((r) => ["recall@10", "nDCG@10", "mAP@500", "AUC"].map((m) => [`${String(r.model).replace(/ /g, "_")}_${m}`, r[m]]))),
    cg_vs_cholesky_recall10: (cg["recall@10"] as number) / (exact["recall@10"] as number),
    cg_vs_cholesky_auc: (cg.AUC as number) / (exact.AUC as number),
  };
  await report(db, "als", `ALS on held-out listens: ${testUsers.length} users, ${nItems} tracks, ${train.length} training listens, ${FACTORS} factors`, rows, metrics);
} finally {
  await db.$disconnect();
}
