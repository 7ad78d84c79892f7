import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { Job, JobBadItem } from "../schema/job.js";
import type { Context } from "../context.js";
import { pageSize } from "./limits.js";

@Resolver(() => Job)
export class JobResolver {
  @Query(() => [Job], { description: "Most recent first. Poll while a job is RUNNING for live progress." })
  jobs(@Ctx() { db }: Context, @Arg("first", () => Int, { defaultValue: 20 }) first: number): Promise<Job[]> {
    return db.job.findMany({ orderBy: { id: "desc" }, take: pageSize(first) });
  }

  @Query(() => Job, { nullable: true })
  job(@Ctx() { db }: Context, @Arg("id", () => Int) id: number): Promise<Job | null> {
    return db.job.findUnique({ where: { id } });
  }

  @FieldResolver(() => [JobBadItem], { description: "Items the stage skipped, with the reason." })
  badItems(@Root() job: Job, @Ctx() { db }: Context): Promise<JobBadItem[]> {
    return db.jobBadItem.findMany({ where: { jobId: job.id }, orderBy: { id: "asc" } });
  }
}
