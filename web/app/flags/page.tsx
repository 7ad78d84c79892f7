import { FlagQueue, type QueueFilters } from "@/features/flags/FlagQueue";
import { FLAG_KINDS, FLAG_STATUSES, FlagQueueQuery, QUEUE_PAGE, type FlagKind, type FlagStatus } from "@/features/flags/queries";
import { runQuery } from "@/lib/graphql";

export const metadata = { title: "Flags · Curator Workbench" };

type Params = Record<string, string | string[] | undefined>;

function one<T extends string>(value: string | string[] | undefined, allowed: readonly T[]): T | null {
  const v = typeof value === "string" ? value.toUpperCase() : null;
  return v !== null && (allowed as readonly string[]).includes(v) ? (v as T) : null;
}

/** The review queue of outlier flags; kind, status and sort come from the URL (?kind=&status=&sort=raised). */
export default async function FlagsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const filters: QueueFilters = {
    kind: one<FlagKind>(params.kind, FLAG_KINDS),
    status: one<FlagStatus>(params.status, FLAG_STATUSES),
    sort: one(params.sort, ["SCORE", "RAISED"] as const) ?? "SCORE",
  };
  const result = await runQuery(FlagQueueQuery, { kind: filters.kind, status: filters.status, orderBy: filters.sort, first: QUEUE_PAGE, after: null });
  const initial = result.ok
    ? { flags: result.data.flags.edges.map((e) => e.node), totalCount: result.data.flags.totalCount, endCursor: result.data.flags.pageInfo.endCursor, hasNextPage: result.data.flags.pageInfo.hasNextPage }
    : null;
  return (
    <>
      <h1>Flags review</h1>
      <p>
        Tracks the outlier stage suspects are intros, outros, interludes, covers or remixes, which listening data puts into recommendation lists. A
        verdict is kept across outlier runs and teaches the next one.
      </p>
      <FlagQueue key={JSON.stringify(filters)} filters={filters} initial={initial} initialError={result.ok ? null : result.message} />
    </>
  );
}
