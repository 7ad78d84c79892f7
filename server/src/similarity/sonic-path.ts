import { interpolate, type Interpolation } from "./vectors.js";

/**
 * The length − 2 interior points of a path of `length` tracks from unit vector a to unit vector b (the ends are
 * the tracks themselves), evenly spaced in t, as rows of one matrix so one batched search serves them all.
 */
export function interiorPoints(a: Float32Array, b: Float32Array, length: number, mode: Interpolation = "slerp"): Float32Array {
  if (!Number.isInteger(length) || length < 2) throw new RangeError(`interiorPoints: length ${length} is not an integer ≥ 2`);
  const d = a.length;
  const out = new Float32Array((length - 2) * d);
  for (let i = 1; i < length - 1; i++) out.set(interpolate(a, b, i / (length - 1), mode), (i - 1) * d);
  return out;
}

/**
 * Greedy path: from, then for each interior point its nearest track not used yet, then to. `neighbours` holds
 * k ids per interior point, nearest first (−1 pads a short list). With k ≥ length every point has an unused
 * candidate, since at most length − 1 tracks are used before the last interior point is placed.
 */
export function planPath(from: number, to: number, neighbours: Float64Array, k: number): number[] {
  if (from === to) throw new RangeError("planPath: a path needs two different tracks");
  if (neighbours.length % k !== 0) throw new RangeError(`planPath: ${neighbours.length} neighbour ids are not rows of ${k}`);
  const used = new Set<number>([from, to]);
  const path = [from];
  for (let p = 0; p < neighbours.length / k; p++) {
    let pick = -1;
    for (let j = p * k; j < (p + 1) * k; j++) {
      const id = neighbours[j]!;
      if (id >= 0 && !used.has(id)) {
        pick = id;
        break;
      }
    }
    if (pick < 0) throw new RangeError(`planPath: no unused track among the ${k} nearest to point ${p + 1}`);
    used.add(pick);
    path.push(pick);
  }
  path.push(to);
  return path;
}
