// The Audio column's cosines on a database: for every track of the active PREDICTED_MIDDLE set, the cosine to its
// 10 nearest other tracks (what the track page lists), and over all pairs; percentiles of each.
// Usage: DATABASE_URL=file:... node eval/explore/audio-cosines.mjs
import { openDb } from "@curator/db/client.js";
import { loadActiveFactorSet } from "@curator/worker/storage/factor-sets.js";

const db = await openDb();
const set = await loadActiveFactorSet(db, "PREDICTED_MIDDLE");
if (!set) throw new Error("no active PREDICTED_MIDDLE set");
const n = set.trackIds.length;
const d = set.dims;
const cos = (i, j) => {
  let s = 0;
  for (let c = 0; c < d; c++) s += set.unit[i * d + c] * set.unit[j * d + c];
  return s;
};
const all = [];
const top = [];
for (let i = 0; i < n; i++) {
  const row = [];
  for (let j = 0; j < n; j++) if (j !== i) row.push(cos(i, j));
  all.push(...row.filter((_, j) => j >= i));
  top.push(...row.sort((a, b) => b - a).slice(0, 10));
}
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const line = (name, xs) => `${name}: ${["0.05", "0.25", "0.5", "0.75", "0.95"].map((p) => `p${Math.round(Number(p) * 100)} ${pct(xs, Number(p)).toFixed(3)}`).join(", ")}`;
const params = (await db.factorSet.findUnique({ where: { id: set.id } })).params;
console.log(`set #${set.id} (${JSON.parse(params).backing ?? "convnet"}), ${n} tracks`);
console.log(line("top-10 neighbour cosines", top));
console.log(line("all pairs", all));
await db.$disconnect();
