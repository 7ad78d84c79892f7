// A sonic path: tracks leading from A to B through the latent space.
import type { Db } from "@curator/db/client.js";
import type { IndexRegistry } from "../index/registry.js";
import { interiorPoints, planPath } from "../similarity/sonic-path.js";
import { dot } from "../similarity/vectors.js";
import { rowOf } from "../index/space.js";
import { badUserInput, notFound } from "../errors.js";
import { predictedKind } from "@curator/db/factor-sets.js";
import { requireRow, requireSpace, searchSpace, type AudioMode } from "./spaces.js";

export interface PathStep {
  trackId: number;
  /** Position of the step's interpolation point, 0 at A and 1 at B. */
  t: number;
  /** Cosine between the track and its interpolation point. */
  score: number;
}

export interface SonicPath {
  steps: PathStep[];
  /** Titles of `from` and `to`, read with the check that both exist (a path playlist is named after them). */
  endTitles: [string, string];
}

export async function sonicPath(
  db: Db,
  registry: IndexRegistry,
  from: number,
  to: number,
  length: number,
  space: "CF" | "AUDIO",
  audioMode: AudioMode = "MIDDLE",
): Promise<SonicPath> {
  if (from === to) throw badUserInput("from and to must be different tracks");
  const found = await db.track.findMany({ where: { id: { in: [from, to] } }, select: { id: true, title: true } });
  const title = (id: number) => {
    const track = found.find((t) => t.id === id);
    if (!track) throw notFound(`track ${id} not found`);
    return track.title;
  };
  const endTitles: [string, string] = [title(from), title(to)];
  const s = await requireSpace(registry, space === "CF" ? "CF" : predictedKind(audioMode));
  const d = s.dims;
  const rowA = requireRow(s, from);
  const rowB = requireRow(s, to);
  const a = s.unit.subarray(rowA * d, (rowA + 1) * d);
  const b = s.unit.subarray(rowB * d, (rowB + 1) * d);
  if (length > s.index.ntotal) throw badUserInput(`length ${length} exceeds the ${s.index.ntotal} tracks with ${s.kind} factors`);

  let points: Float32Array;
  try {
    points = interiorPoints(a, b, length);
  } catch (err) {
    throw badUserInput(`no path from track ${from} to track ${to}: ${(err as Error).message}`);
  }
  // k = length neighbours per point always leaves one unused (see planPath); missing tracks (in the index, never in
  // a result) are searched past and blanked out.
  const missing = await registry.missing.get();
  const k = Math.min(length + missing.size, s.index.ntotal);
  const neighbours = length > 2 ? (await searchSpace(s, points, k)).ids : new Float64Array(0);
  for (let i = 0; i < neighbours.length; i++) if (missing.has(neighbours[i]!)) neighbours[i] = -1;
  let path: number[];
  try {
    path = planPath(from, to, neighbours, length > 2 ? k : length);
  } catch (err) {
    throw badUserInput(`no path of ${length} tracks from track ${from} to track ${to}: ${(err as Error).message}`);
  }
  const steps = path.map((trackId, i) => {
    const point = i === 0 ? a : i === length - 1 ? b : points.subarray((i - 1) * d, i * d);
    return { trackId, t: i / (length - 1), score: dot(s.unit, rowOf(s, trackId)! * d, point, 0, d) };
  });
  return { steps, endTitles };
}
