import { graphql, type Enum, type ResultOf } from "@/lib/gql";

export type FlagStatus = Enum<"FlagStatus">;
export type FlagKind = Enum<"OutlierKind">;
export type FlagSort = Enum<"FlagOrder">;

/** Selected wherever flags are shown, so a verdict's answer can replace the flag in place. */
export const FlagFields = graphql(`
  fragment FlagFields on OutlierFlag { id kind score reason status verdictBy }
`);
export type Flag = ResultOf<typeof FlagFields>;

export const ReviewFlag = graphql(
  `
  mutation ReviewFlag($id: Int!, $verdict: Verdict!) {
    reviewFlag(id: $id, verdict: $verdict) { ...FlagFields }
  }
`,
  [FlagFields],
);

export const FLAG_KINDS = ["INTRO", "OUTRO", "INTERLUDE", "COVER", "REMIX", "ATYPICAL"] as const satisfies readonly FlagKind[];
export const FLAG_STATUSES = ["OPEN", "CONFIRMED", "REJECTED"] as const satisfies readonly FlagStatus[];

/** A flag as the review queue lists it: the reason, the album-role evidence, and who decided what when. */
const QueueFlagFields = graphql(`
  fragment QueueFlagFields on OutlierFlag {
    id kind score reason status verdictBy verdictNote verdictAt roleEvidence
    history { id status note by at }
    track { id title durationSec position artist { name } album { title } }
  }
`);
export type QueueFlag = ResultOf<typeof QueueFlagFields>;
/** Every decision on a flag, newest first (undo and note changes included). */
export type FlagDecision = QueueFlag["history"][number];

/** The queue's page size: the demo's flags fit on one page; larger catalogues page on with "Show more". */
export const QUEUE_PAGE = 200;

export const FlagQueueQuery = graphql(
  `
  query FlagQueue($kind: OutlierKind, $status: FlagStatus, $orderBy: FlagOrder!, $first: Int!, $after: String) {
    flags(kind: $kind, status: $status, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...QueueFlagFields } }
    }
  }
`,
  [QueueFlagFields],
);

export const SetFlagStatus = graphql(
  `
  mutation SetFlagStatus($ids: [Int!]!, $status: FlagStatus!, $note: String) {
    setFlagStatus(ids: $ids, status: $status, note: $note) { ...QueueFlagFields }
  }
`,
  [QueueFlagFields],
);

export const NoteFlag = graphql(
  `
  mutation NoteFlag($id: Int!, $note: String!) {
    noteFlag(id: $id, note: $note) { ...QueueFlagFields }
  }
`,
  [QueueFlagFields],
);
