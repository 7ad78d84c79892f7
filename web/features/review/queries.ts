import { gql } from "@urql/core";
import { FLAG_FIELDS, type Flag } from "@/features/flags/queries";

export const REVIEW_K = 20;
/** Listeners the picker suggests at once. */
export const LISTENER_SUGGESTIONS = 8;

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

/** maxCold null: cold tracks enter on their calibrated score alone; n: at most n of them (the discovery dial). */
export const ReviewQuery = gql<{ user: ReviewUser }, { id: number; k: number; includeCold: boolean; maxCold: number | null }>`
  query Review($id: Int!, $k: Int!, $includeCold: Boolean!, $maxCold: Int) {
    user(id: $id) {
      id externalId
      ranked: recommendations(k: $k, includeCold: $includeCold, maxCold: $maxCold) { ${REC_FIELDS} }
      coldOnly: recommendations(k: $k, onlyCold: true) { ${REC_FIELDS} }
    }
  }
`;

export interface Listener {
  id: number;
  externalId: string;
  listens: number;
}

export const ListenerSearch = gql<{ users: Listener[] }, { search: string | null; first: number }>`
  query ListenerSearch($search: String, $first: Int!) {
    users(search: $search, first: $first) { id externalId listens }
  }
`;

export const ListenerById = gql<{ user: Listener }, { id: number }>`
  query ListenerById($id: Int!) {
    user(id: $id) { id externalId listens }
  }
`;

/** A flag counts against a track until an editor rejects it. */
export function isFlagged(rec: Recommendation): boolean {
  return rec.track.outlierFlags.some((flag) => flag.status !== "REJECTED");
}
