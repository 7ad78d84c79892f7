/**
 * Scores every item for one user (dot products of a user row against all item rows) into `out`.
 * `items` is n × k row-major.
 */
export function scoreItems(user: Float32Array, items: Float32Array, k: number, out: Float32Array): Float32Array {
  const n = out.length;
  if (items.length !== n * k || user.length !== k) throw new RangeError(`scoreItems: ${items.length} item values, ${user.length} user values for ${n} × ${k}`);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const base = i * k;
    for (let a = 0; a < k; a++) s += user[a]! * items[base + a]!;
    out[i] = s;
  }
  return out;
}

/** Item indices by descending score, leaving out `exclude` (the user's training items); ties by index. */
export function rankItems(scores: ArrayLike<number>, exclude: ReadonlySet<number>, limit = scores.length): number[] {
  const candidates: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!exclude.has(i)) candidates.push(i);
  candidates.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return candidates.slice(0, limit);
}
