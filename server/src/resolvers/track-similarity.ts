import { Arg, Ctx, FieldResolver, Float, Int, Resolver, Root } from "type-graphql";
import { FactorKind } from "@curator/db/client.js";
import { Track } from "../schema/catalog.js";
import { MapPosition, PredictedMode, SimilarTrack, Space } from "../schema/similarity.js";
import type { Context } from "../context.js";
import { rowOf } from "../index/space.js";
import { similarTracks, DEFAULT_HYBRID_WEIGHT } from "../services/similar.js";
import { predictedKind } from "@curator/db/factor-sets.js";
import { findSpace } from "../services/spaces.js";
import type { IndexRegistry } from "../index/registry.js";
import { checkCount, checkDurationRange, checkUnitInterval } from "./ranges.js";
import { withTracks } from "./track-rows.js";

@Resolver(() => Track)
export class TrackSimilarityResolver {
  @FieldResolver(() => [SimilarTrack], {
    description: "This track first (score 1), then its k nearest tracks by cosine, best first. k ≤ 200.",
  })
  async similar(
    @Root() track: Track,
    @Ctx() { db, indexes }: Context,
    @Arg("k", () => Int, { defaultValue: 10 }) k: number,
    @Arg("space", () => Space, { defaultValue: Space.CF }) space: Space,
    @Arg("hybridWeight", () => Float, { nullable: true, description: `w of HYBRID (default ${DEFAULT_HYBRID_WEIGHT}).` }) hybridWeight: number | undefined,
    @Arg("audioMode", () => PredictedMode, { defaultValue: PredictedMode.MIDDLE, description: "Which predicted factors AUDIO and HYBRID use." }) audioMode: PredictedMode,
    @Arg("excludeSameAlbum", { defaultValue: false }) excludeSameAlbum: boolean,
    @Arg("excludeSameArtist", { defaultValue: false }) excludeSameArtist: boolean,
    @Arg("minDurationSec", () => Float, { nullable: true }) minDurationSec: number | undefined,
    @Arg("maxDurationSec", () => Float, { nullable: true }) maxDurationSec: number | undefined,
  ): Promise<SimilarTrack[]> {
    checkCount(k, "k");
    // Omitted nullable arguments arrive as undefined, explicit nulls as null: both mean "not set".
    if (hybridWeight != null) checkUnitInterval(hybridWeight, "hybridWeight");
    checkDurationRange(minDurationSec ?? undefined, maxDurationSec ?? undefined);
    const scored = await similarTracks(db, indexes, track, {
      k,
      space,
      audioMode,
      ...(hybridWeight != null ? { hybridWeight } : {}),
      filters: {
        excludeSameAlbum,
        excludeSameArtist,
        ...(minDurationSec != null ? { minDurationSec } : {}),
        ...(maxDurationSec != null ? { maxDurationSec } : {}),
      },
    });
    return withTracks(db, scored);
  }

  @FieldResolver(() => [Float], {
    nullable: true,
    description: "Raw CF factors of the active set (their norm grows with popularity); null without training listens.",
  })
  async cfFactors(@Root() track: Track, @Ctx() { indexes }: Context): Promise<number[] | null> {
    return rawFactors(indexes, FactorKind.CF, track.id);
  }

  @FieldResolver(() => [Float], { nullable: true, description: "Factors the convnet predicted from the audio; null if not predicted." })
  async predictedFactors(
    @Root() track: Track,
    @Ctx() { indexes }: Context,
    @Arg("mode", () => PredictedMode, { defaultValue: PredictedMode.MIDDLE }) mode: PredictedMode,
  ): Promise<number[] | null> {
    return rawFactors(indexes, predictedKind(mode), track.id);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: "Spread of the MC-dropout predictions of the predicted factors: larger is less certain. Null if not predicted.",
  })
  confidence(
    @Root() track: Track,
    @Ctx() { loaders }: Context,
    @Arg("mode", () => PredictedMode, { defaultValue: PredictedMode.MIDDLE }) mode: PredictedMode,
  ): Promise<number | null> {
    return loaders.spread(predictedKind(mode)).load(track.id);
  }

  @FieldResolver(() => MapPosition, { nullable: true, description: "Where the current latent map of the kind places this track." })
  mapPosition(
    @Root() track: Track,
    @Ctx() { loaders }: Context,
    @Arg("kind", () => FactorKind, { defaultValue: FactorKind.CF }) kind: FactorKind,
  ): Promise<MapPosition | null> {
    return loaders.mapPosition(kind).load(track.id);
  }
}

async function rawFactors(indexes: IndexRegistry, kind: FactorKind, trackId: number): Promise<number[] | null> {
  const space = await findSpace(indexes, kind);
  const r = space && rowOf(space, trackId);
  return space && r !== undefined ? Array.from(space.raw.subarray(r * space.dims, (r + 1) * space.dims)) : null;
}
