import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { LOG_MEL_DEFAULTS } from "@curator/worker/features/logmel.js";
import { hzToMel } from "@curator/worker/features/mel.js";
import { PRESETS } from "@curator/worker/model/architecture.js";
import { ActivationMode, Filter, FilterConnection, FilterLayer, FilterTrack, WeightAxes } from "../schema/filter.js";
import { afterId, toConnection } from "../schema/connection.js";
import type { Context } from "../context.js";
import { activeModelRunId } from "../services/active-model-run.js";
import { badUserInput, notFound } from "../errors.js";
import { pageSize } from "./limits.js";
import type { FilterHit } from "../loaders/curation.js";

const MAX_NAME = 100;

@Resolver(() => Filter)
export class FilterResolver {
  @Query(() => FilterConnection, { description: "The active model run's filters of one layer, by index. Empty before a run is trained." })
  async filters(
    @Ctx() { db }: Context,
    @Arg("layer", () => FilterLayer) layer: FilterLayer,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null | undefined,
    @Arg("fromIndex", () => Int, { nullable: true, description: "Start at this filter index: page k of n is fromIndex k·n, so a page can be opened directly." })
    fromIndex: number | null | undefined,
  ): Promise<FilterConnection> {
    const take = pageSize(first);
    const start = afterId(after);
    if (fromIndex != null && fromIndex < 0) throw badUserInput(`fromIndex must be 0 or more, got ${fromIndex}`);
    const modelRunId = await activeModelRunId(db);
    if (modelRunId === undefined) return toConnection([], take, 0);
    const where = { modelRunId, layer };
    // Ids follow index within a run (the activations stage writes filters in index order), so id cursors page by index.
    const [rows, totalCount] = await Promise.all([
      db.filter.findMany({
        where: { ...where, ...(start ? { id: { gt: start } } : {}), ...(fromIndex != null ? { index: { gte: fromIndex } } : {}) },
        orderBy: { id: "asc" },
        take: take + 1,
      }),
      db.filter.count({ where }),
    ]);
    return toConnection(rows, take, totalCount);
  }

  @Authorized("EDITOR")
  @Mutation(() => Filter, { description: "Names a filter after what its top tracks have in common; null clears the name." })
  async renameFilter(@Ctx() { db }: Context, @Arg("id", () => Int) id: number, @Arg("name", () => String, { nullable: true }) name: string | null | undefined): Promise<Filter> {
    const trimmed = name?.trim() || null;
    if (trimmed && trimmed.length > MAX_NAME) throw badUserInput(`a filter name has at most ${MAX_NAME} characters, got ${trimmed.length}`);
    const [row] = await db.filter.updateManyAndReturn({ where: { id }, data: { name: trimmed } });
    if (!row) throw notFound(`filter ${id} not found`);
    return row;
  }

  @FieldResolver(() => [FilterTrack], { description: "The tracks that excite this filter most, best first." })
  async topTracks(
    @Root() filter: Filter,
    @Ctx() { loaders }: Context,
    @Arg("mode", () => ActivationMode, { defaultValue: ActivationMode.MAX }) mode: ActivationMode,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
  ): Promise<FilterTrack[]> {
    // Missing tracks keep their ranks but are not listed: the list is filled to `first` from the next-ranked tracks
    // whose files are there, one window per shortfall, until the ranking ends (a window that comes back short).
    const want = pageSize(first);
    const hits: FilterHit[] = [];
    for (let from = 0, count = want; count > 0; ) {
      const window = await loaders.filterTracks(mode).load({ parentId: filter.id, from, count });
      hits.push(...window.filter((h) => !h.missing));
      if (window.length < count) break;
      from += count;
      count = want - hits.length;
    }
    const tracks = await loaders.track.loadMany(hits.map((h) => h.trackId));
    return hits.flatMap((h, i) => {
      const track = tracks[i];
      return track instanceof Error || track === undefined ? [] : [{ rank: h.rank, value: h.value, track }];
    });
  }

  @FieldResolver(() => WeightAxes, { nullable: true, description: "The weight picture's axes and colour scale; null where there is no picture." })
  async weightAxes(@Root() filter: Filter, @Ctx() { db }: Context): Promise<WeightAxes | null> {
    if (!filter.weightImage) return null;
    return weightAxes(await kernelWidthOf(db, filter.modelRunId));
  }

  @FieldResolver(() => String, { nullable: true, description: "PNG of the first-layer weights (time × mel bands); CONV1 only." })
  weightImageUrl(@Root() filter: Filter, @Ctx() { mediaUrl }: Context): string | null {
    return filter.weightImage ? mediaUrl(`/media/filters/${filter.id}.png`) : null;
  }
}

/** Round frequencies an editor knows, labelled where they fall within the mel range. */
const TICK_HZ = [100, 250, 500, 1000, 2000, 4000, 8000, 11025];

/** Kernel width by model run: a run's parameters never change, so one read per run and process. */
const kernelWidths = new Map<number, number>();
async function kernelWidthOf(db: Context["db"], modelRunId: number): Promise<number> {
  let width = kernelWidths.get(modelRunId);
  if (width === undefined) {
    const run = await db.modelRun.findUnique({ where: { id: modelRunId }, select: { params: true } });
    const parsed = run ? (JSON.parse(run.params) as { model?: { kernelWidth?: unknown } }) : {};
    width = typeof parsed.model?.kernelWidth === "number" ? parsed.model.kernelWidth : PRESETS.full.kernelWidth;
    kernelWidths.set(modelRunId, width);
  }
  return width;
}

/** The axes of a first-layer kernel picture: the log-mel features' bands (LOG_MEL_DEFAULTS) by the kernel's frames. */
export function weightAxes(frames: number): WeightAxes {
  const { nMels, fmin, fmax, hopLength, sampleRate } = LOG_MEL_DEFAULTS;
  // Band b's centre is the (b + 1)-th of nMels + 2 points evenly spaced in mel from fmin to fmax (librosa's filterbank).
  const [lo, hi] = [hzToMel(fmin), hzToMel(fmax)];
  const ticks = TICK_HZ.filter((hz) => hz >= fmin && hz <= fmax).map((hz) => ({ hz, band: ((hzToMel(hz) - lo) / (hi - lo)) * (nMels + 1) - 1 }));
  return { frames, frameSec: hopLength / sampleRate, melBands: nMels, lowHz: fmin, highHz: fmax, ticks: ticks.filter((t) => t.band >= -0.5 && t.band <= nMels - 0.5) };
}
