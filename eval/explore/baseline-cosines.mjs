// The Audio column each content baseline would give on a database: fitted as `curator train` fits it (every warm
// track's middle excerpt onto its unit CF factors), predicting every track; percentiles of each track's 10 nearest
// cosines (what the track page lists) and of all pairs. (The run's validation hold-out is skipped: this is about
// the spread of the space, not its quality.)
// Usage: DATABASE_URL=file:... node eval/explore/baseline-cosines.mjs
import { openDb } from "@curator/db/client.js";
import { normalizeRows } from "@curator/worker/factorize/factors.js";
import { loadFeatureInputs } from "@curator/worker/model/feature-inputs.js";
import { fitMfccBaseline, predictMfccBaseline, rowsOf } from "@curator/worker/model/mfcc-baseline.js";
import { loadActiveFactorSet } from "@curator/worker/storage/factor-sets.js";

const db = await openDb();
const cf = await loadActiveFactorSet(db, "CF");
const k = cf.dims;
const features = await loadFeatureInputs(db, "MIDDLE", 128, async () => {});
const row = new Map(Array.from(cf.trackIds, (id, i) => [id, i]));
const warm = Array.from(cf.trackIds).filter((id, i) => cf.norms[i] > 0 && features.frames.has(id));
const all = [...features.frames.keys()].sort((a, b) => a - b);
const targets = rowsOf(cf.raw, k, warm.map((id) => row.get(id)));
normalizeRows(targets, warm.length, k);
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const line = (xs) => ["0.05", "0.25", "0.5", "0.75", "0.95"].map((p) => `p${Math.round(Number(p) * 100)} ${pct(xs, Number(p)).toFixed(3)}`).join(", ");
for (const [name, features_, whiten] of [["bag-of-words", "bag-of-words", false], ["timbre-stats, z-scored", "timbre-stats", false], ["timbre-stats, z-scored + whitened", "timbre-stats", true]]) {
  const baseline = fitMfccBaseline(warm.map((id) => features.frames.get(id)), targets, k, 128, features_, whiten);
  const p = predictMfccBaseline(baseline, all.map((id) => features.frames.get(id)));
  normalizeRows(p, all.length, k);
  const top = [];
  const pairs = [];
  for (let i = 0; i < all.length; i++) {
    const cos = [];
    for (let j = 0; j < all.length; j++) {
      if (j === i) continue;
      let s = 0;
      for (let c = 0; c < k; c++) s += p[i * k + c] * p[j * k + c];
      cos.push(s);
      if (j > i) pairs.push(s);
    }
    top.push(...cos.sort((a, b) => b - a).slice(0, 10));
  }
  console.log(`${name} (λ ${baseline.lambda}), ${all.length} tracks, ${warm.length} fitted:\n  top-10 neighbours: ${line(top)}\n  all pairs: ${line(pairs)}`);
}
await db.$disconnect();
