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
