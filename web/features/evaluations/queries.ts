import { gql } from "@urql/core";

export interface EvaluationRun {
  id: number;
  name: string;
  metrics: string;
  tableText: string;
  createdAt: string;
}

export const EvaluationsQuery = gql<{ evaluations: EvaluationRun[] }, { first: number }>`
  query Evaluations($first: Int!) { evaluations(first: $first) { id name metrics tableText createdAt } }
`;
