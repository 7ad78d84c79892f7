import { gql } from "@urql/core";

export type FlagStatus = "OPEN" | "CONFIRMED" | "REJECTED";

export interface Flag {
  id: number;
  kind: string;
  score: number;
  reason: string;
  status: FlagStatus;
  verdictBy: string | null;
}

/** Selected wherever flags are shown, so a verdict's answer can replace the flag in place. */
export const FLAG_FIELDS = "id kind score reason status verdictBy";

export const ReviewFlag = gql<{ reviewFlag: Flag }, { id: number; verdict: "CONFIRMED" | "REJECTED" }>`
  mutation ReviewFlag($id: Int!, $verdict: Verdict!) {
    reviewFlag(id: $id, verdict: $verdict) { ${FLAG_FIELDS} }
  }
`;

export const FLAG_KINDS = ["INTRO", "OUTRO", "INTERLUDE", "COVER", "REMIX", "ATYPICAL"] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];
export const FLAG_STATUSES = ["OPEN", "CONFIRMED", "REJECTED"] as const satisfies readonly FlagStatus[];
export type FlagSort = "SCORE" | "RAISED";

export interface FlagDecision {
  id: number;
  status: FlagStatus;
  note: string | null;
  by: string;
  at: string;
}

/** A flag as the review queue lists it: the reason, the album-role evidence, and who decided what when. */
export interface QueueFlag extends Flag {
  kind: FlagKind;
  verdictNote: string | null;
  verdictAt: string | null;
  roleEvidence: string | null;
  /** Every decision on the flag, newest first (undo and note changes included). */
  history: FlagDecision[];
  track: { id: number; title: string; durationSec: number; position: number | null; artist: { name: string }; album: { title: string } | null };
}

const QUEUE_FIELDS = "id kind score reason status verdictBy verdictNote verdictAt roleEvidence history { id status note by at } track { id title durationSec position artist { name } album { title } }";

/** The queue's page size: the demo's flags fit on one page; larger catalogues page on with "Show more". */
export const QUEUE_PAGE = 200;

export const FlagQueueQuery = gql<
  { flags: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: QueueFlag }[] } },
  { kind: FlagKind | null; status: FlagStatus | null; orderBy: FlagSort; first: number; after: string | null }
>`
  query FlagQueue($kind: OutlierKind, $status: FlagStatus, $orderBy: FlagOrder!, $first: Int!, $after: String) {
    flags(kind: $kind, status: $status, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ${QUEUE_FIELDS} } }
    }
  }
`;

export const SetFlagStatus = gql<{ setFlagStatus: QueueFlag[] }, { ids: number[]; status: FlagStatus; note?: string | null }>`
  mutation SetFlagStatus($ids: [Int!]!, $status: FlagStatus!, $note: String) {
    setFlagStatus(ids: $ids, status: $status, note: $note) { ${QUEUE_FIELDS} }
  }
`;

export const NoteFlag = gql<{ noteFlag: QueueFlag }, { id: number; note: string }>`
  mutation NoteFlag($id: Int!, $note: String!) {
    noteFlag(id: $id, note: $note) { ${QUEUE_FIELDS} }
  }
`;
