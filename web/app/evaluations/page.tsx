import { connection } from "next/server";
import { ErrorBanner } from "@/components/ErrorBanner";
import table from "@/components/table.module.css";
import { AudioModelQuery } from "@/features/audio-model/queries";
import { EvaluationCard } from "@/features/evaluations/EvaluationCard";
import { latestPerName } from "@/features/evaluations/metrics";
import { EvaluationsQuery } from "@/features/evaluations/queries";
import { runQuery } from "@/lib/graphql";

export const metadata = { title: "Evaluations · Curator Workbench" };

export default async function EvaluationsPage() {
  // Per request: evaluations are stored while the app runs.
  await connection();
  const [result, audioModel] = await Promise.all([runQuery(EvaluationsQuery, { first: 50 }), runQuery(AudioModelQuery, {})]);
  if (!result.ok) return <ErrorBanner title="Could not load the evaluations." message={result.message} />;
  const runs = latestPerName(result.data.evaluations);
  const backing = audioModel.ok ? (audioModel.data.audioModel?.backing ?? null) : null;
  return (
    <>
      <h1>Evaluations</h1>
      {runs.length === 0 && <p className={table.empty}>No evaluations stored yet: run `npm run eval -- als`.</p>}
      {runs.map((run) => (
        <EvaluationCard key={run.id} run={run} backing={backing} />
      ))}
    </>
  );
}
