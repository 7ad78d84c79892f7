// UMAP (McInnes et al. 2018, via umap-js) of factor vectors into 2-D, reproducible from a seed.
import { UMAP } from "umap-js";
import { mulberry32 } from "../util/random.js";

export interface UmapOptions {
  /** Neighbourhood size: larger keeps more global structure (UMAP's default 15). Capped at n − 1. */
  nNeighbors: number;
  /** How tightly points may pack (UMAP's default 0.1). */
  minDist: number;
  seed: number;
  /** Optimisation epochs; by default umap-js chooses (500 below 10 000 points, 200 above). */
  epochs?: number;
}

/** The fewest points UMAP can lay out: each needs at least one neighbour besides itself and a second to contrast. */
export const MIN_UMAP_POINTS = 3;

/**
 * n × d row-major vectors → n × 2 row-major coordinates. `onEpoch(done, total)` is awaited after the neighbour
 * graph (done 0) and after every optimisation epoch, for progress.
 */
export async function umapLayout(
  vectors: Float32Array,
  n: number,
  d: number,
  options: UmapOptions,
  onEpoch?: (done: number, total: number) => Promise<void>,
): Promise<Float32Array> {
  if (vectors.length !== n * d) throw new RangeError(`umapLayout: ${vectors.length} values for ${n} × ${d}`);
  if (n < MIN_UMAP_POINTS) throw new RangeError(`umapLayout: UMAP needs at least ${MIN_UMAP_POINTS} points, got ${n}`);
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(options.nNeighbors, n - 1),
    minDist: options.minDist,
    random: mulberry32(options.seed),
    ...(options.epochs !== undefined ? { nEpochs: options.epochs } : {}),
  });
  const rows = Array.from({ length: n }, (_, i) => Array.from(vectors.subarray(i * d, (i + 1) * d)));
  const epochs = umap.initializeFit(rows);
  await onEpoch?.(0, epochs);
  for (let e = 1; e <= epochs; e++) {
    umap.step();
    await onEpoch?.(e, epochs);
  }
  const out = new Float32Array(n * 2);
  umap.getEmbedding().forEach((p, i) => {
    out[2 * i] = p[0]!;
    out[2 * i + 1] = p[1]!;
  });
  return out;
}
