import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { JobStatus } from "@curator/db/client.js";

registerEnumType(JobStatus, { name: "JobStatus" });

@ObjectType()
export class JobBadItem {
  @Field(() => Int, { description: "Increasing in the order the stage met the items: the `after` of the next page." }) id!: number;
  @Field() item!: string;
  @Field() reason!: string;
}

@ObjectType({ description: "A long pipeline stage: progress, bad items, and the series it plots." })
export class Job {
  @Field(() => Int) id!: number;
  @Field() stage!: string;
  @Field({ description: "JSON object: the options the stage runs with." }) params!: string;
  @Field(() => JobStatus) status!: JobStatus;
  @Field(() => Int) done!: number;
  @Field(() => Int) total!: number;
  @Field(() => Int) failed!: number;
  @Field(() => String, { nullable: true }) message!: string | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field({ description: "JSON array of points (the training loss curve)." }) series!: string;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
}
