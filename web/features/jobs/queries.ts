import { graphql, type ResultOf } from "@/lib/gql";

export const JOB_LIMIT = 50;

/** The fields a job row and its page show; series: the JSON array the stage plots (train: the loss per epoch). */
const JobFields = graphql(`
  fragment JobFields on Job { id stage status done total failed message error createdAt startedAt finishedAt series }
`);

export const JobsQuery = graphql(
  `
  query Jobs($first: Int!) {
    jobs(first: $first) { ...JobFields }
  }
`,
  [JobFields],
);

export type Job = ResultOf<typeof JobsQuery>["jobs"][number];

/** One job as its page shows it: the list's fields and the options it ran with (params: the JSON options of `curator <stage>`). */
export const JobQuery = graphql(
  `
  query Job($id: Int!) {
    job(id: $id) { ...JobFields params }
    queuedStages
  }
`,
  [JobFields],
);

export type JobDetail = NonNullable<ResultOf<typeof JobQuery>["job"]>;

export const QueuedStagesQuery = graphql(`
  query QueuedStages { queuedStages }
`);

/** A queued job starts without anyone reloading, so it is watched like a running one. */
export function isActive(job: Pick<Job, "status">): boolean {
  return job.status === "RUNNING" || job.status === "QUEUED";
}

export const JobBadItemsQuery = graphql(`
  query JobBadItems($id: Int!, $first: Int!, $after: Int) { job(id: $id) { badItems(first: $first, after: $after) { id item reason } } }
`);

export type BadItem = NonNullable<ResultOf<typeof JobBadItemsQuery>["job"]>["badItems"][number];

export const StartJob = graphql(`
  mutation StartJob($stage: String!, $params: String) { startJob(stage: $stage, params: $params) { id } }
`);

export const CancelJob = graphql(`
  mutation CancelJob($id: Int!) { cancelJob(id: $id) { id status error } }
`);
