import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { FlagStatus, OutlierKind } from "@curator/db/client.js";
import { ConnectionType } from "./connection.js";

registerEnumType(OutlierKind, { name: "OutlierKind", description: "What the outlier stage suspects a track is." });
registerEnumType(FlagStatus, { name: "FlagStatus", description: "OPEN until an editor confirms or rejects it." });

export enum Verdict {
  CONFIRMED = "CONFIRMED",
  REJECTED = "REJECTED",
}
registerEnumType(Verdict, { name: "Verdict", description: "An editor's decision on a flag." });

export enum FlagOrder {
  RAISED = "RAISED",
  SCORE = "SCORE",
}
registerEnumType(FlagOrder, {
  name: "FlagOrder",
  description: "Order of the flags list.",
  valuesConfig: { RAISED: { description: "In the order the outlier stage raised them (id ascending)." }, SCORE: { description: "Most suspicious first (score descending, then id)." } },
});

@ObjectType({ description: "A track the outlier stage flagged (an intro, outro, cover…), with an editor's verdict once reviewed.", simpleResolvers: true })
export class OutlierFlag {
  @Field(() => Int) id!: number;
  @Field(() => OutlierKind) kind!: OutlierKind;
  @Field(() => Float, { description: "Larger is more suspicious." }) score!: number;
  @Field({ description: "Why the stage flagged it, in words." }) reason!: string;
  @Field(() => FlagStatus) status!: FlagStatus;
  @Field(() => String, { nullable: true }) verdictNote!: string | null;
  @Field(() => String, { nullable: true, description: "Name of the API key that gave the verdict." }) verdictBy!: string | null;
  @Field(() => Date, { nullable: true }) verdictAt!: Date | null;
  @Field() createdAt!: Date;
  trackId!: number;
}

@ObjectType({ description: "One entry of a flag's history: a verdict, a reopening (an undo), or a note changed.", simpleResolvers: true })
export class FlagDecision {
  @Field(() => Int) id!: number;
  @Field(() => FlagStatus, { description: "The flag's status after this decision (OPEN: reopened)." }) status!: FlagStatus;
  @Field(() => String, { nullable: true, description: "The note in force after this decision." }) note!: string | null;
  @Field({ description: "Name of the API key that decided." }) by!: string;
  @Field() at!: Date;
  flagId!: number;
}

@ObjectType()
export class OutlierFlagConnection extends ConnectionType(OutlierFlag) {}
