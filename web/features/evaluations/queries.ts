import { graphql, type ResultOf } from "@/lib/gql";

export const EvaluationsQuery = graphql(`
  query Evaluations($first: Int!) { evaluations(first: $first) { id name metrics tableText createdAt } }
`);

export type EvaluationRun = ResultOf<typeof EvaluationsQuery>["evaluations"][number];
