import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { FactorKind } from "@curator/db/client.js";
import { LatentMap, MapPoint, PackedMapPoints } from "../schema/similarity.js";
import type { Context } from "../context.js";
import { currentLayout, layoutPoints } from "../services/latent-map.js";
import { pageSize } from "./limits.js";

@Resolver(() => LatentMap)
export class LatentMapResolver {
  @Query(() => LatentMap, { nullable: true, description: "The newest complete map of a factor kind (for the scatter plot); null before `curator map`." })
  latentMap(@Ctx() { db }: Context, @Arg("kind", () => FactorKind, { defaultValue: FactorKind.CF }) kind: FactorKind): Promise<LatentMap | null> {
    return currentLayout(db, kind).then((layout) => layout && { layoutId: layout.id, factorSetId: layout.factorSetId, method: layout.method, params: layout.params, createdAt: layout.createdAt });
  }

  @Query(() => [FactorKind], { description: "The factor kinds whose newest complete map has points, in FactorKind order: the spaces a map page can offer." })
  async mapKinds(@Ctx() { db }: Context): Promise<FactorKind[]> {
    const kinds = Object.values(FactorKind);
    const placed = await Promise.all(
      kinds.map(async (kind) => {
        const layout = await currentLayout(db, kind);
        return layout !== null && (await db.mapPoint.count({ where: { layoutId: layout.id }, take: 1 })) > 0;
      }),
    );
    return kinds.filter((_, i) => placed[i]);
  }

  @FieldResolver(() => [MapPoint], {
    description: "One object per point in track id order: `first` of them after track `after`. `packed` carries every row at once, far faster.",
  })
  points(
    @Root() map: LatentMap,
    @Ctx() { db, indexes }: Context,
    @Arg("first", () => Int, { defaultValue: 500 }) first: number,
    @Arg("after", () => Int, { nullable: true, description: "The last track id of the previous page." }) after: number | null | undefined,
  ): Promise<MapPoint[]> {
    return layoutPoints(db, indexes, map.layoutId, { after, take: pageSize(first) });
  }

  @FieldResolver(() => PackedMapPoints, { description: "Every point as typed-array columns: what a scatter plot of 100k tracks should ask for. Costs 1 per thousand points per column." })
  async packed(@Root() map: LatentMap, @Ctx() { loaders }: Context): Promise<PackedMapPoints> {
    // One read per request and layout: aliases of `packed` used to read the whole map again each.
    const points = await loaders.layoutPoints.load(map.layoutId);
    const column = <T extends Int32Array | Float32Array | Uint8Array>(make: new (n: number) => T, value: (i: number) => number): string => {
      const out = new make(points.length);
      for (let i = 0; i < points.length; i++) out[i] = value(i);
      return Buffer.from(out.buffer, out.byteOffset, out.byteLength).toString("base64");
    };
    return {
      count: points.length,
      ids: column(Int32Array, (i) => points[i]!.id),
      xs: column(Float32Array, (i) => points[i]!.x),
      ys: column(Float32Array, (i) => points[i]!.y),
      artistIds: column(Int32Array, (i) => points[i]!.artistId),
      albumIds: column(Int32Array, (i) => points[i]!.albumId ?? 0),
      cold: column(Uint8Array, (i) => (points[i]!.cold ? 1 : 0)),
    };
  }
}
