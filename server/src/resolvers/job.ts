import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { Job, JobBadItem } from "../schema/job.js";
import type { Context } from "../context.js";
import { pageSize } from "./limits.js";
import { badUserInput, notFound } from "../errors.js";
import { QUEUED_STAGES, queuedStage } from "@curator/worker/stages.js";
import { parseJobParams } from "@curator/worker/jobs/stage-descriptor.js";
import { abandonedReason, isAbandoned, type LeasedJob } from "@curator/worker/jobs/lease.js";

/** Stage names as the CLI records them ("factorize", "import-factors"). */
const STAGE_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const MAX_PARAMS = 16 * 1024;

@Resolver(() => Job)
export class JobResolver {
  @Query(() => [Job], { description: "Most recent first. Poll while a job is RUNNING for live progress." })
  async jobs(@Ctx() { db }: Context, @Arg("first", () => Int, { defaultValue: 20 }) first: number): Promise<Job[]> {
    return (await db.job.findMany({ orderBy: { id: "desc" }, take: pageSize(first) })).map(asSeen);
  }

  @Query(() => Job, { nullable: true })
  async job(@Ctx() { db }: Context, @Arg("id", () => Int) id: number): Promise<Job | null> {
    const row = await db.job.findUnique({ where: { id } });
    return row && asSeen(row);
  }

  @Query(() => [String], { description: "The stages startJob queues: a worker runs them from the queue; others run with `curator <stage>`." })
  queuedStages(): string[] {
    return [...QUEUED_STAGES];
  }

  @FieldResolver(() => [JobBadItem], {
    description: "Items the stage skipped, with the reason, in the order it met them: `first` of them after the one whose id is `after` (`failed` counts them all).",
  })
  badItems(
    @Root() job: Job,
    @Ctx() { db }: Context,
    @Arg("first", () => Int, { defaultValue: 100 }) first: number,
    @Arg("after", () => Int, { nullable: true }) after: number | null | undefined,
  ): Promise<JobBadItem[]> {
    // Paged: a stage can skip 100k items, and one list of them all ran the server out of memory.
    return db.jobBadItem.findMany({ where: { jobId: job.id, ...(after != null ? { id: { gt: after } } : {}) }, orderBy: { id: "asc" }, take: pageSize(first) });
  }

  @Authorized("ADMIN")
  @Mutation(() => Job, {
    description: "Queues a pipeline stage with JSON params (the options of `curator <stage>`). The job stays QUEUED until a worker takes it.",
  })
  startJob(@Ctx() { db }: Context, @Arg("stage") stage: string, @Arg("params", () => String, { nullable: true }) params: string | null | undefined): Promise<Job> {
    if (!STAGE_NAME.test(stage)) throw badUserInput(`stage must be a lower-case stage name such as "factorize", got "${stage}"`);
    // A stage no worker takes would stay QUEUED forever.
    const descriptor = queuedStage(stage);
    if (!descriptor) throw badUserInput(`stage "${stage}" cannot be queued: workers run ${QUEUED_STAGES.join(", ")}`);
    const parsed = jobParams(params);
    // The stage's declared options check them here, so a bad option is refused now rather than failing the job later.
    try {
      parseJobParams(descriptor, parsed);
    } catch (err) {
      throw badUserInput(`params: ${(err as Error).message}`);
    }
    return db.job.create({ data: { stage, params: JSON.stringify(parsed) } });
  }

  @Authorized("ADMIN")
  @Mutation(() => Job, {
    description:
      "Cancels a QUEUED or RUNNING job: a queued one never starts; a running one stops at its next item (what it committed stays) and ends CANCELLED.",
  })
  async cancelJob(@Ctx() { db, viewer }: Context, @Arg("id", () => Int) id: number): Promise<Job> {
    const row = await db.job.findUnique({ where: { id } });
    if (!row) throw notFound(`no job #${id}`);
    // Only a row still QUEUED or RUNNING: one that ended meanwhile keeps its outcome.
    const { count } = await db.job.updateMany({
      where: { id, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "CANCELLED", error: `cancelled by ${viewer!.name}`, ...(row.status === "QUEUED" || isAbandoned(row) ? { finishedAt: new Date() } : {}) },
    });
    if (count === 0) {
      const now = await db.job.findUniqueOrThrow({ where: { id } });
      throw badUserInput(`job #${id} is ${asSeen(now).status}: only a QUEUED or RUNNING job can be cancelled`);
    }
    return asSeen(await db.job.findUniqueOrThrow({ where: { id } }));
  }
}

/**
 * A RUNNING job past its lease shows as FAILED with the reason: its process is gone. The row itself is marked when
 * the next stage starts (markAbandonedJobs): a read does not write, so it never waits on an import's lock.
 */
function asSeen<T extends Job & LeasedJob>(job: T): T {
  return isAbandoned(job) ? { ...job, status: "FAILED", error: abandonedReason(job) } : job;
}

function jobParams(params: string | null | undefined): Record<string, unknown> {
  if (params == null) return {};
  if (params.length > MAX_PARAMS) throw badUserInput(`params has at most ${MAX_PARAMS} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(params);
  } catch (err) {
    throw badUserInput(`params is not JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw badUserInput("params must be a JSON object");
  return parsed as Record<string, unknown>;
}
