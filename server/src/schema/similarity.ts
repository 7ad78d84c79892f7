import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { FactorKind } from "@curator/db/client.js";
import { Track } from "./catalog.js";

export enum Space {
  CF = "CF",
  AUDIO = "AUDIO",
  HYBRID = "HYBRID",
}
registerEnumType(Space, {
  name: "Space",
  description: "Where similarity is measured.",
  valuesConfig: {
    CF: { description: "Collaborative-filtering factors (who listens to what)." },
    AUDIO: { description: "Factors the convnet predicts from the audio; covers cold tracks." },
    HYBRID: { description: "w·cos_CF + (1 − w)·cos_AUDIO over both candidate lists; cold tracks on audio alone." },
  },
});

export enum PathSpace {
  CF = "CF",
  AUDIO = "AUDIO",
}
registerEnumType(PathSpace, { name: "PathSpace", description: "The one space a sonic path runs through." });

export enum PredictedMode {
  MIDDLE = "MIDDLE",
  WHOLE = "WHOLE",
}
registerEnumType(PredictedMode, { name: "PredictedMode", description: "Predicted from the middle 30 s excerpt, or from the whole track." });

registerEnumType(FactorKind, { name: "FactorKind" });

@ObjectType({ simpleResolvers: true })
export class SimilarTrack {
  @Field(() => Track) track!: Track;
  @Field(() => Float, { description: "Cosine (or blended cosine) to the query track; 1 for the query itself." }) score!: number;
}

@ObjectType()
export class Recommendation {
  @Field(() => Track) track!: Track;
  @Field(() => Float, { description: "Predicted preference: user · item over raw CF factors; a cold track's user · predicted factors mapped onto that scale (AudioModel.calibration)." }) score!: number;
  @Field({ description: "The track has no CF factors and was scored through its predicted factors." }) cold!: boolean;
}

@ObjectType()
export class PathStep {
  @Field(() => Track) track!: Track;
  @Field(() => Float, { description: "Position along the path: 0 at `from`, 1 at `to`." }) t!: number;
  @Field(() => Float, { description: "Cosine between the track and the path's point at t." }) score!: number;
}

@ObjectType({ description: "A listener." })
export class User {
  @Field(() => Int) id!: number;
  @Field() externalId!: string;
}

@ObjectType()
export class MapPosition {
  @Field(() => Float) x!: number;
  @Field(() => Float) y!: number;
}

@ObjectType({ description: "One track on the latent map, with what the scatter plot colours by." })
export class MapPoint {
  @Field(() => Int, { description: "The track id." }) id!: number;
  @Field(() => Float) x!: number;
  @Field(() => Float) y!: number;
  @Field(() => Int) artistId!: number;
  @Field(() => Int, { nullable: true }) albumId!: number | null;
  @Field({ description: "No factors in the active CF set (no training listens)." }) cold!: boolean;
}

@ObjectType({ description: "A 2-D layout of a factor set (UMAP), as written by `curator map`." })
export class LatentMap {
  @Field(() => Int) layoutId!: number;
  @Field(() => Int) factorSetId!: number;
  @Field() method!: string;
  @Field({ description: "JSON: the layout's options." }) params!: string;
  @Field() createdAt!: Date;
}

@ObjectType({
  description:
    "A map's points as columns, each a base64 string of a little-endian typed array; row i of every column is the same track. " +
    "One string per column instead of an object per point: graphql-js resolves and serialises 100k objects in seconds, a few strings in milliseconds.",
})
export class PackedMapPoints {
  @Field(() => Int) count!: number;
  @Field({ description: "Int32Array of track ids." }) ids!: string;
  @Field({ description: "Float32Array of x." }) xs!: string;
  @Field({ description: "Float32Array of y." }) ys!: string;
  @Field({ description: "Int32Array of artist ids." }) artistIds!: string;
  @Field({ description: "Int32Array of album ids, 0 for a track without an album (ids start at 1)." }) albumIds!: string;
  @Field({ description: "Uint8Array, 1 where the track has no factors in the active CF set." }) cold!: string;
}
