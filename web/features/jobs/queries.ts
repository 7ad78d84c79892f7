import { graphql, type ResultOf } from "@/lib/gql";

export const JOB_LIMIT = 50;

/** series: the JSON array the stage plots (train: the loss per epoch). */
export const JobsQuery = graphql(`
  query Jobs($first: Int!) {
    jobs(first: $first) { id stage status done total failed message error createdAt series }
  }
`);

export type Job = ResultOf<typeof JobsQuery>["jobs"][number];

/** A queued job starts without anyone reloading, so it is watched like a running one. */
export function isActive(job: Job): boolean {
  return job.status === "RUNNING" || job.status === "QUEUED";
}

export const JobBadItemsQuery = graphql(`
  query JobBadItems($id: Int!) { job(id: $id) { badItems { item reason } } }
`);

export type BadItem = NonNullable<ResultOf<typeof JobBadItemsQuery>["job"]>["badItems"][number];
