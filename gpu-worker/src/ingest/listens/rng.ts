/** Index drawn with probability proportional to weights (all ≥ 0, not all 0). */
export function pickWeighted(rng: () => number, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/** Fisher–Yates, in place. */
export function shuffle<T>(rng: () => number, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Discrete Pareto: P(X ≥ k) = k^-alpha for k ≥ 1, the heavy tail of listening activity. */
export function paretoInt(rng: () => number, alpha: number, max: number): number {
  return Math.min(max, Math.floor(Math.pow(1 - rng(), -1 / alpha)));
}
