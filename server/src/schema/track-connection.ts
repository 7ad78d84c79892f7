import { Field, InputType, Int, ObjectType } from "type-graphql";
import { MaxLength, Min } from "class-validator";
import { PageInfo } from "./connection.js";
import { Track } from "./catalog.js";

@ObjectType()
export class TrackEdge {
  @Field(() => Track) node!: Track;
  @Field() cursor!: string;
}

@ObjectType()
export class TrackConnection {
  @Field(() => [TrackEdge]) edges!: TrackEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@InputType()
export class TrackFilter {
  @Field(() => String, { nullable: true, description: "Case-insensitive match on title, artist or album." })
  @MaxLength(200)
  text?: string;

  @Field(() => Int, { nullable: true }) @Min(1) artistId?: number;
  @Field(() => Int, { nullable: true }) @Min(1) albumId?: number;
}
