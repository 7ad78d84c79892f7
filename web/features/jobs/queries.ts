import { gql } from "@urql/core";

export const JOB_LIMIT = 50;

export interface Job {
  id: number;
  stage: string;
  status: string;
  done: number;
  total: number;
  failed: number;
  message: string | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** JSON array the stage plots (train: the loss per epoch). */
  series: string;
}

export const JobsQuery = gql<{ jobs: Job[] }, { first: number }>`
  query Jobs($first: Int!) {
    jobs(first: $first) { id stage status done total failed message error createdAt startedAt finishedAt series }
  }
`;

/** One job as its page shows it: the list's fields and the options it ran with. */
export interface JobDetail extends Job {
  /** JSON object: the options of `curator <stage>`. */
  params: string;
}

export const JobQuery = gql<{ job: JobDetail | null; queuedStages: string[] }, { id: number }>`
  query Job($id: Int!) {
    job(id: $id) { id stage params status done total failed message error createdAt startedAt finishedAt series }
    queuedStages
  }
`;

export const QueuedStagesQuery = gql<{ queuedStages: string[] }, Record<string, never>>`
  query QueuedStages { queuedStages }
`;

/** A queued job starts without anyone reloading, so it is watched like a running one. */
export function isActive(job: Pick<Job, "status">): boolean {
  return job.status === "RUNNING" || job.status === "QUEUED";
}

export interface BadItem {
  id: number;
  item: string;
  reason: string;
}

export const JobBadItemsQuery = gql<{ job: { badItems: BadItem[] } | null }, { id: number; first: number; after: number | null }>`
  query JobBadItems($id: Int!, $first: Int!, $after: Int) { job(id: $id) { badItems(first: $first, after: $after) { id item reason } } }
`;

export const StartJob = gql<{ startJob: { id: number } }, { stage: string; params: string }>`
  mutation StartJob($stage: String!, $params: String) { startJob(stage: $stage, params: $params) { id } }
`;

export const CancelJob = gql<{ cancelJob: { id: number; status: string; error: string | null } }, { id: number }>`
  mutation CancelJob($id: Int!) { cancelJob(id: $id) { id status error } }
`;
