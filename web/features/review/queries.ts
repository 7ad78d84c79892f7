import { gql } from "@urql/core";
import { FLAG_FIELDS, type Flag } from "@/features/flags/queries";

export const REVIEW_K = 20;

export interface Recommendation {
  score: number;
  cold: boolean;
  track: { id: number; title: string; isShort: boolean; artist: { name: string }; outlierFlags: Flag[] };
}

export interface ReviewUser {
  id: number;
  externalId: string;
  ranked: Recommendation[];
  coldOnly: Recommendation[];
}

const REC_FIELDS = `score cold track { id title isShort artist { name } outlierFlags { ${FLAG_FIELDS} } }`;

export const ReviewQuery = gql<{ user: ReviewUser }, { id: number; k: number; includeCold: boolean }>`
  query Review($id: Int!, $k: Int!, $includeCold: Boolean!) {
    user(id: $id) {
      id externalId
      ranked: recommendations(k: $k, includeCold: $includeCold) { ${REC_FIELDS} }
      coldOnly: recommendations(k: $k, onlyCold: true) { ${REC_FIELDS} }
    }
  }
`;

/** A flag counts against a track until an editor rejects it. */
export function isFlagged(rec: Recommendation): boolean {
  return rec.track.outlierFlags.some((flag) => flag.status !== "REJECTED");
}
