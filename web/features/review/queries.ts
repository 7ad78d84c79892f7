import { FlagFields } from "@/features/flags/queries";
import { graphql, type ResultOf } from "@/lib/gql";

export const REVIEW_K = 20;
/** Listeners the picker suggests at once. */
export const LISTENER_SUGGESTIONS = 8;

const RecommendationFields = graphql(
  `
  fragment RecommendationFields on Recommendation { score cold track { id title isShort artist { name } outlierFlags { ...FlagFields } } }
`,
  [FlagFields],
);
export type Recommendation = ResultOf<typeof RecommendationFields>;

/** maxCold null: cold tracks enter on their calibrated score alone; n: at most n of them (the discovery dial). */
export const ReviewQuery = graphql(
  `
  query Review($id: Int!, $k: Int!, $includeCold: Boolean!, $maxCold: Int) {
    user(id: $id) {
      id externalId
      ranked: recommendations(k: $k, includeCold: $includeCold, maxCold: $maxCold) { ...RecommendationFields }
      coldOnly: recommendations(k: $k, onlyCold: true) { ...RecommendationFields }
    }
  }
`,
  [RecommendationFields],
);
export type ReviewUser = NonNullable<ResultOf<typeof ReviewQuery>["user"]>;

export const ListenerSearch = graphql(`
  query ListenerSearch($search: String, $first: Int!) {
    users(search: $search, first: $first) { id externalId listens }
  }
`);
export type Listener = ResultOf<typeof ListenerSearch>["users"][number];

export const ListenerById = graphql(`
  query ListenerById($id: Int!) {
    user(id: $id) { id externalId listens }
  }
`);

/** A flag counts against a track until an editor rejects it. */
export function isFlagged(rec: Recommendation): boolean {
  return rec.track.outlierFlags.some((flag) => flag.status !== "REJECTED");
}
