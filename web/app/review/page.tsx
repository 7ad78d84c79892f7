import { ReviewWorkbench } from "@/features/review/ReviewWorkbench";

export const metadata = { title: "Review · Curator Workbench" };

export default async function ReviewPage({ searchParams }: { searchParams: Promise<{ user?: string | string[] }> }) {
  const { user } = await searchParams;
  const userId = typeof user === "string" && /^\d+$/.test(user) ? Number(user) : null;
  return (
    <>
      <h1>Recommendations review</h1>
      <ReviewWorkbench key={userId} userId={userId} />
    </>
  );
}
