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
  /** JSON array the stage plots (train: the loss per epoch). */
  series: string;
}

export const JobsQuery = gql<{ jobs: Job[] }, { first: number }>`
  query Jobs($first: Int!) {
    jobs(first: $first) { id stage status done total failed message error createdAt series }
  }
`;

/** A queued job starts without anyone reloading, so it is watched like a running one. */
export function isActive(job: Job): boolean {
  return job.status === "RUNNING" || job.status === "QUEUED";
}

export interface BadItem {
  item: string;
  reason: string;
}

export const JobBadItemsQuery = gql<{ job: { badItems: BadItem[] } | null }, { id: number }>`
  query JobBadItems($id: Int!) { job(id: $id) { badItems { item reason } } }
`;
