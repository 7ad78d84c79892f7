import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { Db } from "@curator/db/client.js";
import { bytesToVector } from "@curator/db/factor-sets.js";
import { Track } from "../schema/catalog.js";
import { ActivationMode, Filter, FilterLayer, SharedUnit, TrackActivation } from "../schema/filter.js";
import { activeModelRunId } from "../services/active-model-run.js";
import { sharedUnits } from "../similarity/why-similar.js";
import { badUserInput, notFound } from "../errors.js";
import type { Context } from "../context.js";

const MAX_TOP = 100;

@Resolver(() => Track)
export class TrackActivationsResolver {
  @FieldResolver(() => [TrackActivation], {
    description: "The filters that respond most to this track under the active model run (empty before `curator activations`).",
  })
  async activations(
    @Root() track: Track,
    @Ctx() { db }: Context,
    @Arg("layer", () => FilterLayer) layer: FilterLayer,
    @Arg("mode", () => ActivationMode, { defaultValue: "MAX" }) mode: ActivationMode,
    @Arg("top", () => Int, { defaultValue: 10 }) top: number,
  ): Promise<TrackActivation[]> {
    checkTop(top);
    if (layer === "DENSE" && mode === "MEAN") throw badUserInput("a dense unit has one activation per track: use mode MAX");
    const loaded = await embeddingAndFilters(db, track.id, layer);
    if (!loaded) return [];
    const values = layer === "DENSE" ? loaded.embedding.dense : mode === "MAX" ? loaded.embedding.convMax : loaded.embedding.convMean;
    return [...values.keys()]
      .sort((x, y) => values[y]! - values[x]! || x - y)
      .slice(0, top)
      .flatMap((index) => (loaded.filters[index] ? [{ filter: loaded.filters[index]!, value: values[index]! }] : []));
  }

  @FieldResolver(() => [SharedUnit], { description: "Why this track sounds like another: the dense-layer units both activate most." })
  async whySimilar(
    @Root() track: Track,
    @Ctx() { db }: Context,
    @Arg("to", () => Int) to: number,
    @Arg("top", () => Int, { defaultValue: 5 }) top: number,
  ): Promise<SharedUnit[]> {
    checkTop(top);
    if (!(await db.track.findUnique({ where: { id: to }, select: { id: true } }))) throw notFound(`track ${to} not found`);
    const mine = await embeddingAndFilters(db, track.id, "DENSE");
    const theirs = await embeddingAndFilters(db, to, "DENSE");
    if (!mine || !theirs) return [];
    const names = mine.filters.map((f, i) => f?.name ?? `unit ${i}`);
    return sharedUnits(mine.embedding.dense, theirs.embedding.dense, names, top).flatMap((u) =>
      mine.filters[u.unit] ? [{ filter: mine.filters[u.unit]!, name: u.name, a: u.a, b: u.b, contribution: u.contribution, share: u.share }] : [],
    );
  }
}

function checkTop(top: number): void {
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) throw badUserInput(`top must be between 1 and ${MAX_TOP}, got ${top}`);
}

async function embeddingAndFilters(db: Db, trackId: number, layer: FilterLayer) {
  const modelRunId = await activeModelRunId(db);
  if (modelRunId === undefined) return undefined;
  const row = await db.trackEmbedding.findUnique({ where: { modelRunId_trackId: { modelRunId, trackId } } });
  if (!row) return undefined;
  const rows = await db.filter.findMany({ where: { modelRunId, layer } });
  const filters: (Filter | undefined)[] = [];
  for (const f of rows) filters[f.index] = f;
  return {
    embedding: { convMax: bytesToVector(row.convMax), convMean: bytesToVector(row.convMean), dense: bytesToVector(row.dense) },
    filters,
  };
}
