import { Field, InputType, Int, ObjectType } from "type-graphql";
import { MaxLength, Min } from "class-validator";
import { ConnectionType } from "./connection.js";
import { Track } from "./catalog.js";

@ObjectType()
export class TrackConnection extends ConnectionType(Track) {}

@InputType()
export class TrackFilter {
  @Field(() => String, { nullable: true, description: "Case-insensitive match on title, artist or album." })
  @MaxLength(200)
  text?: string;

  @Field(() => Int, { nullable: true }) @Min(1) artistId?: number;
  @Field(() => Int, { nullable: true }) @Min(1) albumId?: number;
}
