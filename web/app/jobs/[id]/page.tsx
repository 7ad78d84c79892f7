import { notFound } from "next/navigation";
import { connection } from "next/server";
import { ErrorBanner } from "@/components/ErrorBanner";
import { JobDetailView } from "@/features/jobs/JobDetailView";
import { JobQuery } from "@/features/jobs/queries";
import { runQuery } from "@/lib/graphql";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  return { title: `Job #${(await params).id} · Curator Workbench` };
}

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  const result = await runQuery(JobQuery, { id });
  if (!result.ok) return <ErrorBanner title="Could not load the job." message={result.message} />;
  if (!result.data.job) notFound();
  return <JobDetailView initial={result.data.job} queuedStages={result.data.queuedStages} />;
}
