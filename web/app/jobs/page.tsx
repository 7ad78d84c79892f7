import { connection } from "next/server";
import { ErrorBanner } from "@/components/ErrorBanner";
import { JOB_LIMIT, JobsQuery, QueuedStagesQuery } from "@/features/jobs/queries";
import { JobsTable } from "@/features/jobs/JobsTable";
import { StartJobForm } from "@/features/jobs/StartJobForm";
import { runQuery } from "@/lib/graphql";

export const metadata = { title: "Jobs · Curator Workbench" };

export default async function JobsPage() {
  // Render per request: a build-time snapshot of the jobs would be stale at once (and the API is down at build).
  await connection();
  const [result, stages] = await Promise.all([runQuery(JobsQuery, { first: JOB_LIMIT }), runQuery(QueuedStagesQuery, {})]);
  return (
    <>
      <h1>Jobs</h1>
      <StartJobForm stages={stages.ok ? stages.data.queuedStages : []} />
      {result.ok ? (
        <JobsTable initial={result.data.jobs} />
      ) : (
        <ErrorBanner title="Could not load the jobs." message={result.message} />
      )}
    </>
  );
}
