import { Field, Float, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { MaxLength, Min } from "class-validator";
import { ConnectionType } from "./connection.js";
import { Track } from "./catalog.js";

@ObjectType()
export class TrackConnection extends ConnectionType(Track) {}

export enum TrackOrderField {
  ID = "ID",
  TITLE = "TITLE",
  ARTIST = "ARTIST",
  DURATION = "DURATION",
}
registerEnumType(TrackOrderField, { name: "TrackOrderField", description: "A key the track list can be sorted by; ties fall back to id." });

export enum SortDirection {
  ASC = "ASC",
  /** @public clients send it through the schema; the resolver branches on ASC alone. */
  DESC = "DESC",
}
registerEnumType(SortDirection, { name: "SortDirection" });

@InputType()
export class TrackOrder {
  @Field(() => TrackOrderField, { defaultValue: TrackOrderField.ID }) field: TrackOrderField = TrackOrderField.ID;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction: SortDirection = SortDirection.ASC;
}

@InputType()
export class TrackFilter {
  @Field(() => String, { nullable: true, description: "Case-insensitive match on title, artist or album: the phrase; else every word in any order; else words within 1-2 edits of catalogue words (typos)." })
  @MaxLength(200)
  text?: string;

  @Field(() => Int, { nullable: true }) @Min(1) artistId?: number;
  @Field(() => Int, { nullable: true }) @Min(1) albumId?: number;

  @Field(() => Boolean, { nullable: true, description: "true: no training listens (none outside the held-out split); false: some." })
  cold?: boolean;

  @Field(() => Boolean, { nullable: true, description: "true: has an OPEN or CONFIRMED outlier flag; false: has none." })
  flagged?: boolean;

  @Field(() => Float, { nullable: true }) @Min(0) minDurationSec?: number;
  @Field(() => Float, { nullable: true }) @Min(0) maxDurationSec?: number;
}
